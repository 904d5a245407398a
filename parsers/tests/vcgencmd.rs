//! vcgencmd parsers against the real captures in `data/vcgencmd/outputs.txt`,
//! plus the variants `FORMATS.md` §2 describes that the corpus lacks.

#[macro_use]
mod common;

use edgestat_core::DateTime;
use edgestat_core::pi::{
    AdcReading, ClockReading, ConfigValue, MAX_COMMANDS, MAX_CONFIG_ENTRIES, MAX_PMIC_RAILS,
    NamedClock, Throttled,
};
use edgestat_parsers::vcgencmd::{
    codec_enabled, commands, firmware_error, get_camera, get_config, get_mem, get_throttled,
    measure_clock, measure_temp, measure_volts, pmic_read_adc, version,
};
use edgestat_parsers::{Error, ErrorKind};

const OUTPUTS: &str = include_str!("data/vcgencmd/outputs.txt");

/// One block of `outputs.txt`: `== <id> | <board> | vcgencmd <command…>`.
#[derive(Debug)]
struct Block {
    id: String,
    board: String,
    command: String,
    output: String,
}

fn blocks() -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for line in OUTPUTS.lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix("== ") {
            let mut parts = header.splitn(3, " | ");
            let id = parts.next().unwrap().to_owned();
            let board = parts.next().unwrap().to_owned();
            let command = parts.next().unwrap().strip_prefix("vcgencmd ").unwrap().to_owned();
            out.push(Block { id, board, command, output: String::new() });
        } else {
            let block = out.last_mut().expect("output before the first header");
            block.output.push_str(line);
            block.output.push('\n');
        }
    }
    out
}

/// The block with this id and command line.
fn block(id: &str, command: &str) -> Vec<u8> {
    blocks()
        .into_iter()
        .find(|b| b.id == id && b.command == command)
        .unwrap_or_else(|| panic!("no block {id} | {command}"))
        .output
        .into_bytes()
}

/// Parses `output` with the parser of `command`'s first word.
fn parse_with(command: &str, output: &[u8]) -> Result<(), Error> {
    let name = command.split_whitespace().next().unwrap_or("");
    match name {
        "measure_temp" => measure_temp::parse(output).map(drop),
        "measure_clock" => measure_clock::parse(output).map(drop),
        "measure_volts" => measure_volts::parse(output).map(drop),
        "get_throttled" => get_throttled::parse(output).map(drop),
        "get_mem" => get_mem::parse(output).map(drop),
        "version" => version::parse(output).map(drop),
        "get_config" => get_config::parse(output).map(drop),
        "codec_enabled" => codec_enabled::parse(output).map(drop),
        "get_camera" => get_camera::parse(output).map(drop),
        "commands" => commands::parse(output).map(drop),
        "pmic_read_adc" => pmic_read_adc::parse(output).map(drop),
        other => panic!("no parser for {other}"),
    }
}

/// Every parser, for inputs that should fail in all of them the same way.
fn all_parsers(input: &[u8]) -> [Result<(), Error>; 11] {
    [
        measure_temp::parse(input).map(drop),
        measure_clock::parse(input).map(drop),
        measure_volts::parse(input).map(drop),
        get_throttled::parse(input).map(drop),
        get_mem::parse(input).map(drop),
        version::parse(input).map(drop),
        get_config::parse(input).map(drop),
        codec_enabled::parse(input).map(drop),
        get_camera::parse(input).map(drop),
        commands::parse(input).map(drop),
        pmic_read_adc::parse(input).map(drop),
    ]
}

#[test]
fn every_captured_block_parses() {
    let all = blocks();
    assert_eq!(all.len(), 48, "blocks in outputs.txt");
    let mut parsed = 0;
    for b in &all {
        let expected_error = match (b.id.as_str(), b.command.as_str()) {
            ("VC-B", "get_mem") => Some(Error::new(ErrorKind::Firmware(2), "get_mem")),
            ("VC-B", "get_config") => Some(Error::missing("get_config argument")),
            _ => None,
        };
        if b.command.contains(';') {
            // VC-C2: three commands in one shell line, one output line each.
            let command = b.command.split(" (").next().unwrap();
            let commands: Vec<&str> = command.split("; ").collect();
            let lines: Vec<&str> = b.output.lines().collect();
            assert_eq!(commands.len(), lines.len(), "{} {}", b.id, b.command);
            for (c, line) in commands.iter().zip(&lines) {
                assert_eq!(parse_with(c, line.as_bytes()), Ok(()), "{} {c}: {line}", b.id);
                parsed += 1;
            }
            continue;
        }
        let result = parse_with(&b.command, b.output.as_bytes());
        match expected_error {
            Some(e) => assert_eq!(result, Err(e), "{} {}", b.id, b.command),
            None => assert_eq!(result, Ok(()), "{} | {} | {}", b.id, b.board, b.command),
        }
        parsed += 1;
    }
    assert_eq!(parsed, 52, "48 blocks, VC-C2 twice three commands");
}

#[test]
fn measure_temp_pi4() {
    let t = measure_temp::parse(&block("VC-A5", "measure_temp")).unwrap();
    assert_eq!(t.milli_celsius, 42_800);
    assert_json!(t, r#"{"temp":42.8}"#);
    let t = measure_temp::parse(&block("VC-B", "measure_temp")).unwrap();
    assert_eq!(t.milli_celsius, 49_900);
    assert_json!(t, r#"{"temp":49.9}"#);
}

#[test]
fn measure_temp_vc_c2_lines() {
    let run1 = block("VC-C2", "measure_temp; get_throttled; measure_temp (run 1)");
    let lines: Vec<&[u8]> = run1.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(measure_temp::parse(lines[0]).unwrap().milli_celsius, 39_200);
    assert_eq!(get_throttled::parse(lines[1]).unwrap().raw, 0x50000);
    assert_eq!(measure_temp::parse(lines[2]).unwrap().milli_celsius, 38_600);
}

#[test]
fn measure_clock_pi4_ids_are_data() {
    let expected: [(&str, u32, u64); 12] = [
        ("arm", 48, 600_169_920),
        ("core", 1, 199_995_120),
        ("h264", 28, 0),
        ("isp", 45, 0),
        ("v3d", 46, 250_000_496),
        ("uart", 22, 48_001_464),
        ("pwm", 25, 107_143_064),
        ("emmc", 50, 250_000_496),
        ("pixel", 29, 74_988_280),
        ("vec", 10, 0),
        ("hdmi", 9, 119_997_072),
        ("dpi", 4, 0),
    ];
    for (clock, id, hz) in expected {
        let reading = measure_clock::parse(&block("VC-A2", &format!("measure_clock {clock}")));
        assert_eq!(reading, Ok(ClockReading { id, hz }), "{clock}");
    }
    let arm = measure_clock::parse(&block("VC-A1", "measure_clock arm")).unwrap();
    assert_json!(
        NamedClock { clock: "arm", reading: &arm },
        r#"{"clock":"arm","id":48,"hz":600169920}"#
    );
}

#[test]
fn measure_clock_pi5_id_zero() {
    let reading = measure_clock::parse(b"frequency(0)=2400000000\n").unwrap();
    assert_eq!(reading, ClockReading { id: 0, hz: 2_400_000_000 });
    assert_json!(
        NamedClock { clock: "arm", reading: &reading },
        r#"{"clock":"arm","id":0,"hz":2400000000}"#
    );
}

#[test]
fn measure_volts_pi4_and_pi3() {
    for arg in ["measure_volts", "measure_volts core"] {
        let v = measure_volts::parse(&block("VC-A6", arg)).unwrap();
        assert_eq!(v.microvolts, 860_000);
        assert_json!(v, r#"{"volts":0.86}"#);
    }
    for arg in ["sdram_c", "sdram_i", "sdram_p"] {
        let v = measure_volts::parse(&block("VC-A6", &format!("measure_volts {arg}"))).unwrap();
        assert_eq!(v.microvolts, 1_100_000);
        assert_json!(v, r#"{"volts":1.1}"#);
    }
    let v = measure_volts::parse(&block("VC-B", "measure_volts core")).unwrap();
    assert_eq!(v.microvolts, 1_318_800);
    assert_json!(v, r#"{"volts":1.3188}"#);
    let v = measure_volts::parse(&block("VC-B", "measure_volts sdram_p")).unwrap();
    assert_eq!(v.microvolts, 1_225_000);
    assert_json!(v, r#"{"volts":1.225}"#);
    assert_eq!(
        measure_volts::parse(&block("VC-C6", "measure_volts")).unwrap().microvolts,
        1_200_000
    );
}

#[test]
fn get_throttled_pi4() {
    let t = get_throttled::parse(&block("VC-A7", "get_throttled")).unwrap();
    assert_eq!(t.raw, 327_685);
    assert!(t.under_voltage() && t.throttled());
    assert!(t.under_voltage_occurred() && t.throttled_occurred());
    assert!(!t.arm_freq_capped() && !t.soft_temp_limit());
    assert!(!t.arm_freq_capped_occurred() && !t.soft_temp_limit_occurred());
    assert_json!(
        t,
        r#"{"raw":327685,"under_voltage":true,"arm_freq_capped":false,"throttled":true,"soft_temp_limit":false,"under_voltage_occurred":true,"arm_freq_capped_occurred":false,"throttled_occurred":true,"soft_temp_limit_occurred":false}"#
    );
}

#[test]
fn get_throttled_variants() {
    let zero = get_throttled::parse(b"throttled=0x0\n").unwrap();
    assert_eq!(zero, Throttled::from_raw(0));
    assert_json!(
        zero,
        r#"{"raw":0,"under_voltage":false,"arm_freq_capped":false,"throttled":false,"soft_temp_limit":false,"under_voltage_occurred":false,"arm_freq_capped_occurred":false,"throttled_occurred":false,"soft_temp_limit_occurred":false}"#
    );
    let t = get_throttled::parse(b"throttled=0x60002\n").unwrap();
    assert_eq!(t.raw, 0x60002);
    assert!(t.arm_freq_capped() && t.arm_freq_capped_occurred() && t.throttled_occurred());
    assert!(!t.under_voltage() && !t.throttled() && !t.under_voltage_occurred());
    assert_json!(
        t,
        r#"{"raw":393218,"under_voltage":false,"arm_freq_capped":true,"throttled":false,"soft_temp_limit":false,"under_voltage_occurred":false,"arm_freq_capped_occurred":true,"throttled_occurred":true,"soft_temp_limit_occurred":false}"#
    );
    assert_eq!(
        get_throttled::parse(b"throttled=0x100000000"),
        Err(Error::new(ErrorKind::Range, "get_throttled"))
    );
}

#[test]
fn get_mem_pi4_and_pi3() {
    let gpu = get_mem::parse(&block("VC-A4", "get_mem gpu")).unwrap();
    assert_eq!((gpu.region.as_str(), gpu.mb), ("gpu", 76));
    assert_json!(gpu, r#"{"mb":76}"#);
    let arm = get_mem::parse(&block("VC-A4", "get_mem arm")).unwrap();
    assert_eq!((arm.region.as_str(), arm.mb), ("arm", 948));
    assert_json!(arm, r#"{"mb":948}"#);
    assert_eq!(get_mem::parse(&block("VC-B", "get_mem arm")).unwrap().mb, 944);
    assert_eq!(get_mem::parse(&block("VC-B", "get_mem gpu")).unwrap().mb, 64);
}

#[test]
fn version_pi4() {
    let v = version::parse(&block("VC-A9", "version")).unwrap();
    assert_eq!(v.date, DateTime::new(2024, 2, 29, 12, 24, 53).unwrap());
    assert_eq!(v.hash, "f4e2138c2adc8f3a92a3a65939e458f11d7298ba");
    assert!(v.clean);
    assert_eq!(v.variant.as_deref(), Some("start"));
    assert_json!(
        v,
        r#"{"date":"2024-02-29T12:24:53","hash":"f4e2138c2adc8f3a92a3a65939e458f11d7298ba","clean":true,"variant":"start"}"#
    );
}

#[test]
fn version_space_padded_day_and_trailing_space() {
    let input = b"Oct  4 2021 11:27:37 \nCopyright (c) 2012 Broadcom\n\
        version 5e4f6c41b7c7bb21d3f6cb9a2bd4a93f7f8f9f7c (clean) (release) (start_cd)\n";
    let v = version::parse(input).unwrap();
    assert_eq!(v.date, DateTime::new(2021, 10, 4, 11, 27, 37).unwrap());
    assert_eq!(v.variant.as_deref(), Some("start_cd"));
    assert!(v.clean);
    // Unpadded single-digit day too.
    let input = b"Jan 7 2021 14:31:23\nCopyright (c) 2012 Broadcom\n\
        version 5e4f6c41b7c7bb21d3f6cb9a2bd4a93f7f8f9f7c (clean) (release) (start)";
    assert_eq!(version::parse(input).unwrap().date, DateTime::new(2021, 1, 7, 14, 31, 23).unwrap());
}

#[test]
fn version_pi5_iso_date_short_hash_embedded() {
    let input = b"2023/12/06 18:29:25\nCopyright (c) 2023 Raspberry Pi Ltd\n\
        version 8ba17717 (release) (embedded)\n";
    let v = version::parse(input).unwrap();
    assert_eq!(v.date, DateTime::new(2023, 12, 6, 18, 29, 25).unwrap());
    assert_eq!(v.hash, "8ba17717");
    assert!(!v.clean);
    assert_eq!(v.variant.as_deref(), Some("embedded"));
    assert_json!(
        v,
        r#"{"date":"2023-12-06T18:29:25","hash":"8ba17717","clean":false,"variant":"embedded"}"#
    );
}

#[test]
fn version_without_variant_serializes_null() {
    let input = b"Oct 16 2015 18:41:34\nCopyright (c) 2012 Broadcom\n\
        version 0aeb3c9ab6e5cc02ab25b10ae8b6e9dfd4f6a2a7 (clean) (release)\n";
    let v = version::parse(input).unwrap();
    assert_eq!(v.variant, None);
    assert_json!(
        v,
        r#"{"date":"2015-10-16T18:41:34","hash":"0aeb3c9ab6e5cc02ab25b10ae8b6e9dfd4f6a2a7","clean":true,"variant":null}"#
    );
}

#[test]
fn version_rejects_malformed() {
    let good_hash = "version f4e2138c2adc8f3a92a3a65939e458f11d7298ba (clean) (release) (start)";
    let cases: [(String, Error); 8] = [
        (
            format!("Feb 30 2024 12:24:53\nCopyright x\n{good_hash}"),
            Error::new(ErrorKind::Range, "version date"),
        ),
        (
            format!("2023/02/29 12:24:53\nCopyright x\n{good_hash}"),
            Error::new(ErrorKind::Range, "version date"),
        ),
        (format!("Foo 29 2024 12:24:53\nCopyright x\n{good_hash}"), Error::syntax("version date")),
        (
            format!("Feb 29 2024 12:24:53 x\nCopyright x\n{good_hash}"),
            Error::new(ErrorKind::Trailing, "version date"),
        ),
        (
            format!("Feb 29 2024 12:24:53\nBroadcom\n{good_hash}"),
            Error::syntax("version copyright"),
        ),
        (
            "Feb 29 2024 12:24:53\nCopyright x\nversion f4e2138 (release)".to_owned(),
            Error::syntax("version hash"),
        ),
        (
            "Feb 29 2024 12:24:53\nCopyright x\nversion 8ba17717 (start)".to_owned(),
            Error::missing("version release"),
        ),
        (
            format!("Feb 29 2024 12:24:53\nCopyright x\n{good_hash}\nmore"),
            Error::new(ErrorKind::Trailing, "version"),
        ),
    ];
    for (input, error) in cases {
        assert_eq!(version::parse(input.as_bytes()), Err(error), "{input}");
    }
    assert_eq!(version::parse(b"Feb 29 2024 12:24:53\n"), Err(Error::missing("version copyright")));
}

#[test]
fn get_config_int_pi3() {
    let config = get_config::parse(&block("VC-B", "get_config int")).unwrap();
    assert_eq!(config.entries.len(), 26);
    assert_eq!(config.get("arm_freq"), Some(&ConfigValue::Int(1200)));
    assert_eq!(config.get("desired_osc_freq"), Some(&ConfigValue::Int(0x36ee80)));
    assert_eq!(config.get("init_uart_clock"), Some(&ConfigValue::Int(48_000_000)));
    assert_eq!(config.get("over_voltage_avs"), Some(&ConfigValue::Int(118_750)));
    assert_eq!(config.get("temp_limit"), Some(&ConfigValue::Int(85)));
    assert_json!(
        config,
        concat!(
            r#"{"arm_freq":1200,"audio_pwm_mode":1,"config_hdmi_boost":5,"core_freq":250,"#,
            r#""desired_osc_freq":3600000,"disable_commandline_tags":2,"disable_l2cache":1,"#,
            r#""enable_uart":1,"force_eeprom_read":1,"force_pwm_open":1,"#,
            r#""framebuffer_ignore_alpha":1,"framebuffer_swap":1,"gpu_freq":300,"#,
            r#""hdmi_force_cec_address":65535,"init_uart_clock":48000000,"lcd_framerate":60,"#,
            r#""over_voltage_avs":118750,"overscan_bottom":32,"overscan_left":32,"#,
            r#""overscan_right":32,"overscan_top":32,"pause_burst_frames":1,"#,
            r#""program_serial_random":1,"program_usb_boot_mode":1,"sdram_freq":450,"#,
            r#""temp_limit":85}"#
        )
    );
}

#[test]
fn get_config_single_name() {
    let config = get_config::parse(&block("VC-C5", "get_config core_freq")).unwrap();
    assert_eq!(config.entries.len(), 1);
    assert_eq!(config.get("core_freq"), Some(&ConfigValue::Int(0)));
    assert_json!(config, r#"{"core_freq":0}"#);
}

#[test]
fn get_config_negative_and_strings() {
    let config = get_config::parse(b"over_voltage_avs=-23750\n").unwrap();
    assert_eq!(config.get("over_voltage_avs"), Some(&ConfigValue::Int(-23_750)));
    assert_json!(config, r#"{"over_voltage_avs":-23750}"#);
    let config = get_config::parse(
        b"kernel=kernel8.img\ndevice_tree=\nhdmi_group:0=1\nbig=99999999999999999999\n",
    )
    .unwrap();
    assert!(matches!(config.get("kernel"), Some(ConfigValue::Str(s)) if s == "kernel8.img"));
    assert!(matches!(config.get("device_tree"), Some(ConfigValue::Str(s)) if s.is_empty()));
    assert_eq!(config.get("hdmi_group:0"), Some(&ConfigValue::Int(1)));
    assert_json!(
        config,
        r#"{"kernel":"kernel8.img","device_tree":"","hdmi_group:0":1,"big":"99999999999999999999"}"#
    );
}

#[test]
fn get_config_errors() {
    assert_eq!(
        get_config::parse(&block("VC-B", "get_config")),
        Err(Error::missing("get_config argument"))
    );
    assert_eq!(get_config::parse(b"arm_freq 1200"), Err(Error::syntax("get_config")));
    assert_eq!(get_config::parse(b"=1"), Err(Error::syntax("get_config")));
    assert_eq!(get_config::parse(b"a\"b=1"), Err(Error::syntax("get_config")));
    assert_eq!(get_config::parse(b"a=1\n\nb=2"), Err(Error::syntax("get_config")));
    let too_many: String = (0..=MAX_CONFIG_ENTRIES).map(|i| format!("opt{i}=1\n")).collect();
    assert_eq!(
        get_config::parse(too_many.as_bytes()),
        Err(Error::new(ErrorKind::Capacity, "get_config"))
    );
    let long_value = format!("kernel={}", "k".repeat(65));
    assert_eq!(
        get_config::parse(long_value.as_bytes()),
        Err(Error::new(ErrorKind::Capacity, "get_config value"))
    );
}

#[test]
fn codec_enabled_pi4() {
    let expected = [
        ("H264", true),
        ("MPG2", false),
        ("WVC1", false),
        ("MPG4", false),
        ("MJPG", true),
        ("WMV9", false),
    ];
    for (codec, enabled) in expected {
        let c = codec_enabled::parse(&block("VC-A3", &format!("codec_enabled {codec}"))).unwrap();
        assert_eq!((c.codec.as_str(), c.enabled), (codec, enabled));
    }
    let c = codec_enabled::parse(&block("VC-A3", "codec_enabled H264")).unwrap();
    assert_json!(c, r#"{"codec":"H264","enabled":true}"#);
    let c = codec_enabled::parse(&block("VC-A3", "codec_enabled MPG2")).unwrap();
    assert_json!(c, r#"{"codec":"MPG2","enabled":false}"#);
    assert_eq!(codec_enabled::parse(b"H264=maybe"), Err(Error::syntax("codec_enabled")));
}

#[test]
fn get_camera_pi4_and_older_firmware() {
    let c = get_camera::parse(&block("VC-A8", "get_camera")).unwrap();
    assert_eq!((c.supported, c.detected, c.libcamera_interfaces), (0, 0, Some(0)));
    assert_json!(c, r#"{"supported":0,"detected":0,"libcamera_interfaces":0}"#);
    let old = get_camera::parse(b"supported=1 detected=1\n").unwrap();
    assert_eq!(old.libcamera_interfaces, None);
    assert_json!(old, r#"{"supported":1,"detected":1,"libcamera_interfaces":null}"#);
}

#[test]
fn commands_pi4_and_pi3() {
    let raw = block("VC-A10", "commands");
    let c = commands::parse(&raw).unwrap();
    assert_eq!(c.names.len(), 70);
    assert_eq!(c.names.first().map(|n| n.as_str()), Some("commands"));
    assert_eq!(c.names.get(1).map(|n| n.as_str()), Some("set_logging"));
    assert_eq!(c.names.last().map(|n| n.as_str()), Some("vctest_get"));
    assert!(c.names.iter().any(|n| n == "ap_output_post_processing"));
    // The JSON array is the printed list with `, ` turned into `","`.
    let text = String::from_utf8(raw).unwrap();
    let list = text.trim().strip_prefix("commands=\"").unwrap().strip_suffix('"').unwrap();
    let expected = format!(r#"{{"commands":["{}"]}}"#, list.replace(", ", r#"",""#));
    assert!(expected.starts_with(r#"{"commands":["commands","set_logging","bootloader_config","#));
    assert_json!(c, &expected);

    let pi3 = commands::parse(&block("VC-B", "commands")).unwrap();
    assert_eq!(pi3.names.len(), 64);
    assert_eq!(pi3.names.first().map(|n| n.as_str()), Some("vcos"));

    assert_json!(commands::parse(b"commands=\"\"").unwrap(), r#"{"commands":[]}"#);
    let too_many: Vec<String> = (0..=MAX_COMMANDS).map(|i| format!("c{i}")).collect();
    let too_many = format!("commands=\"{}\"", too_many.join(", "));
    assert_eq!(
        commands::parse(too_many.as_bytes()),
        Err(Error::new(ErrorKind::Capacity, "commands"))
    );
    assert_eq!(commands::parse(b"commands=\"a, , b\""), Err(Error::syntax("commands")));
    assert_eq!(commands::parse(b"commands=\"a, b"), Err(Error::syntax("commands")));
}

#[test]
fn pmic_read_adc_pi5() {
    let pmic = pmic_read_adc::parse(&block("VC-D1", "pmic_read_adc")).unwrap();
    assert_eq!(pmic.rails.len(), 14);
    let core = pmic.rail("VDD_CORE").unwrap();
    assert_eq!(core.current, Some(AdcReading { channel: 7, nano: 946_579_900 }));
    assert_eq!(core.volts, Some(AdcReading { channel: 15, nano: 720_976_200 }));
    let ddr = pmic.rail("DDR_VDDQ").unwrap();
    assert_eq!(ddr.current, Some(AdcReading { channel: 4, nano: 0 }));
    let ext = pmic.rail("EXT5V").unwrap();
    assert_eq!(ext.current, None);
    assert_eq!(ext.volts, Some(AdcReading { channel: 24, nano: 5_114_780_000 }));
    let batt = pmic.rail("BATT").unwrap();
    assert_eq!((batt.current, batt.volts.map(|v| v.nano)), (None, Some(18_803_400)));
    let names: Vec<&str> = pmic.rails.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "3V7_WL_SW",
            "3V3_SYS",
            "1V8_SYS",
            "DDR_VDD2",
            "DDR_VDDQ",
            "1V1_SYS",
            "0V8_SW",
            "VDD_CORE",
            "3V3_DAC",
            "3V3_ADC",
            "0V8_AON",
            "HDMI",
            "EXT5V",
            "BATT"
        ]
    );
    assert_json!(
        pmic,
        concat!(
            r#"{"rails":{"3V7_WL_SW":{"current":0.07709848,"volts":3.690497},"#,
            r#""3V3_SYS":{"current":0.04782057,"volts":3.299826},"#,
            r#""1V8_SYS":{"current":0.1151597,"volts":1.796335},"#,
            r#""DDR_VDD2":{"current":0.00780744,"volts":1.108058},"#,
            r#""DDR_VDDQ":{"current":0.0,"volts":0.6032961},"#,
            r#""1V1_SYS":{"current":0.1766433,"volts":1.101464},"#,
            r#""0V8_SW":{"current":0.3308403,"volts":0.802197},"#,
            r#""VDD_CORE":{"current":0.9465799,"volts":0.7209762},"#,
            r#""3V3_DAC":{"current":0.0014652,"volts":3.304026},"#,
            r#""3V3_ADC":{"current":0.00140415,"volts":3.2967},"#,
            r#""0V8_AON":{"current":0.00494505,"volts":0.7994132},"#,
            r#""HDMI":{"current":0.0169719,"volts":5.11612},"#,
            r#""EXT5V":{"current":null,"volts":5.11478},"#,
            r#""BATT":{"current":null,"volts":0.0188034}}}"#
        )
    );
}

#[test]
fn pmic_read_adc_rejects_bad_lines() {
    const F: &str = "pmic_read_adc";
    let dup = b"  VDD_CORE_A current(7)=0.94657990A\n  VDD_CORE_A current(7)=0.94657990A\n";
    assert_eq!(pmic_read_adc::parse(dup), Err(Error::syntax(F)));
    // Suffix and quantity must agree.
    assert_eq!(pmic_read_adc::parse(b"VDD_CORE_V current(7)=0.9A"), Err(Error::syntax(F)));
    assert_eq!(pmic_read_adc::parse(b"VDD_CORE_A current(7)=0.9V"), Err(Error::syntax(F)));
    // More than 9 decimals would lose precision.
    assert_eq!(pmic_read_adc::parse(b"X_V volt(1)=0.1234567891V"), Err(Error::syntax(F)));
    assert_eq!(
        pmic_read_adc::parse(b"X_V volt(1)=1.0V junk"),
        Err(Error::new(ErrorKind::Trailing, F))
    );
    let too_many: String =
        (0..=MAX_PMIC_RAILS).map(|i| format!("R{i}_V volt({i})=1.00000000V\n")).collect();
    assert_eq!(
        pmic_read_adc::parse(too_many.as_bytes()),
        Err(Error::new(ErrorKind::Capacity, "pmic rails"))
    );
}

#[test]
fn firmware_error_everywhere() {
    let raw = block("VC-B", "get_mem");
    let e = firmware_error::parse(&raw).unwrap();
    assert_eq!((e.code, e.message.as_str()), (2, "Invalid arguments"));
    assert_json!(e, r#"{"error":{"code":2,"message":"Invalid arguments"}}"#);

    let results = all_parsers(&raw);
    assert_eq!(results.len(), edgestat_parsers::vcgencmd::COMMANDS.len());
    for (result, field) in results.into_iter().zip(edgestat_parsers::vcgencmd::COMMANDS) {
        assert_eq!(result, Err(Error::new(ErrorKind::Firmware(2), field)));
    }
    let not_registered = b"error=1 error_msg=\"Command not registered\"\n";
    let e = firmware_error::parse(not_registered).unwrap();
    assert_eq!((e.code, e.message.as_str()), (1, "Command not registered"));
    assert_eq!(
        pmic_read_adc::parse(not_registered),
        Err(Error::new(ErrorKind::Firmware(1), "pmic_read_adc"))
    );
    // A broken error line is a syntax error of the command, not a value.
    assert_eq!(measure_temp::parse(b"error=2"), Err(Error::syntax("measure_temp")));
    assert!(firmware_error::parse(b"error=2 error_msg=\"x\" tail").is_err());
    assert!(firmware_error::parse(b"temp=42.8'C").is_err());
}

#[test]
fn one_line_commands_reject_garbage() {
    assert_eq!(
        measure_temp::parse(b"temp=42.8'C x"),
        Err(Error::new(ErrorKind::Trailing, "measure_temp"))
    );
    assert_eq!(measure_temp::parse(b"temp=42.8"), Err(Error::syntax("measure_temp")));
    assert_eq!(measure_temp::parse(b" \n"), Err(Error::new(ErrorKind::Empty, "measure_temp")));
    assert_eq!(measure_clock::parse(b"frequency(48)="), Err(Error::syntax("measure_clock")));
    assert_eq!(
        measure_volts::parse(b"volt=-0.1V"),
        Err(Error::new(ErrorKind::Range, "measure_volts"))
    );
    assert_eq!(get_mem::parse(b"gpu=76"), Err(Error::syntax("get_mem")));
    assert_eq!(
        get_camera::parse(b"supported=0 detected=0,"),
        Err(Error::new(ErrorKind::Trailing, "get_camera"))
    );
}

/// A deterministic fuzz pass: every prefix and many byte flips of every
/// capture go through every parser, which must return, never panic.
#[test]
fn no_panics_on_mangled_captures() {
    let mut inputs: Vec<Vec<u8>> = blocks().into_iter().map(|b| b.output.into_bytes()).collect();
    inputs.push(b"\xff\xfe temp=\xc3".to_vec());
    let mut state: u32 = 0x1234_5678;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for input in &inputs {
        for end in 0..=input.len() {
            let _ = all_parsers(&input[..end]);
            let _ = firmware_error::parse(&input[..end]);
        }
        for _ in 0..200 {
            let mut mutated = input.clone();
            if mutated.is_empty() {
                continue;
            }
            let at = next() as usize % mutated.len();
            mutated[at] = next() as u8;
            let _ = all_parsers(&mutated);
            let _ = firmware_error::parse(&mutated);
        }
    }
}
