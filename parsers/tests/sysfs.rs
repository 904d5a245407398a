//! sysfs parsers against the fixture trees in `data/sysfs/` (see its
//! README), read here with `std::fs` the way the daemon will.

#[macro_use]
mod common;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use edgestat_core::sysfs::{
    ChannelKind, Ina3221, Ina3221Channel, Ina3221Driver, ReadFault, power_mw,
};
use edgestat_parsers::sysfs::{alarm, cpufreq, devfreq, gpu_load, ina3221, thermal};
use edgestat_parsers::{Error, ErrorKind};

fn root(tree: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sysfs").join(tree)
}

/// What the daemon will do with a failed read.
fn fault(e: &io::Error) -> ReadFault {
    e.raw_os_error().map_or(ReadFault::Other, ReadFault::from_errno)
}

fn read(path: &Path) -> Result<Vec<u8>, ReadFault> {
    fs::read(path).map_err(|e| fault(&e))
}

/// Every regular file of a directory as `(name, contents or fault)`.
fn read_dir(dir: &Path) -> Vec<(String, Result<Vec<u8>, ReadFault>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_owned(), read(&p)))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Borrows a directory listing in the shape `parse_dir` takes.
fn view(
    files: &[(String, Result<Vec<u8>, ReadFault>)],
) -> impl Iterator<Item = (&str, Result<&[u8], ReadFault>)> {
    files.iter().map(|(n, r)| (n.as_str(), r.as_ref().map(Vec::as_slice).map_err(|e| *e)))
}

/// Replaces (or adds) files with read faults, as a device would give them.
fn with_faults(
    mut files: Vec<(String, Result<Vec<u8>, ReadFault>)>,
    faults: &[(&str, ReadFault)],
) -> Vec<(String, Result<Vec<u8>, ReadFault>)> {
    for &(name, f) in faults {
        files.retain(|(n, _)| n != name);
        files.push((name.to_owned(), Err(f)));
    }
    files
}

fn rail(
    channel: u8,
    label: &str,
    mv: i32,
    ma: i32,
    mw: i32,
    shunt_uv: Option<i32>,
) -> Ina3221Channel {
    Ina3221Channel {
        kind: ChannelKind::Rail,
        label: Some(label.try_into().unwrap()),
        millivolts: Some(mv),
        milliamps: Some(ma),
        milliwatts: Some(mw),
        shunt_microvolts: shunt_uv,
        max_milliamps: Some(32_760),
        crit_milliamps: Some(32_760),
        ..Ina3221Channel::new(channel)
    }
}

fn labelled(channel: u8, kind: ChannelKind, label: &str) -> Ina3221Channel {
    Ina3221Channel { kind, label: Some(label.try_into().unwrap()), ..Ina3221Channel::new(channel) }
}

#[test]
fn thermal_agx_orin_r36() {
    let base = root("orin-agx-r36/sys/class/thermal");
    let expected = [
        ("cpu-thermal", 44_388),
        ("gpu-thermal", 43_000),
        ("cv0-thermal", 0),
        ("cv1-thermal", 0),
        ("cv2-thermal", 0),
        ("soc0-thermal", 42_531),
        ("soc1-thermal", 43_187),
        ("soc2-thermal", 41_843),
        ("tj-thermal", 44_388),
    ];
    for (index, (name, milli)) in (0u32..).zip(expected) {
        let dir = base.join(format!("thermal_zone{index}"));
        let type_file = fs::read(dir.join("type")).unwrap();
        let temp_file = read(&dir.join("temp"));
        let zone = thermal::zone(index, &type_file, temp_file.as_deref().map_err(|e| *e)).unwrap();
        assert_eq!((zone.index, zone.name.as_str(), zone.milli_celsius), (index, name, Ok(milli)));
    }
    assert!(!base.join("thermal_zone9").exists(), "r36 has zones 0-8 only");

    let cpu = thermal::zone(0, b"cpu-thermal\n", Ok(b"44388\n")).unwrap();
    assert_json!(cpu, r#"{"index":0,"type":"cpu-thermal","temp":44.388,"fault":null}"#);
    // The cv zones' 0 is data, not a failure.
    let cv0 = thermal::zone(2, b"cv0-thermal\n", Ok(b"0\n")).unwrap();
    assert_json!(cv0, r#"{"index":2,"type":"cv0-thermal","temp":0.0,"fault":null}"#);
    // EAGAIN on the same zone is a fault, never 0.
    let cv0 = thermal::zone(2, b"cv0-thermal\n", Err(ReadFault::Again)).unwrap();
    assert_eq!(cv0.milli_celsius, Err(ReadFault::Again));
    assert_json!(cv0, r#"{"index":2,"type":"cv0-thermal","temp":null,"fault":"again"}"#);
}

#[test]
fn thermal_pi() {
    let dir = root("pi4/sys/class/thermal/thermal_zone0");
    assert_eq!(thermal::parse_type(&fs::read(dir.join("type")).unwrap()).unwrap(), "cpu-thermal");
    assert_eq!(thermal::parse_temp(&fs::read(dir.join("temp")).unwrap()), Ok(42_842));
    // Pi 3B+ on a 64-bit 5.10 kernel: EINVAL.
    let zone = thermal::zone(0, b"cpu-thermal\n", Err(ReadFault::from_errno(22))).unwrap();
    assert_eq!(zone.milli_celsius, Err(ReadFault::Invalid));
}

#[test]
fn thermal_values_and_garbage() {
    assert_eq!(thermal::parse_temp(b"-5000\n"), Ok(-5000));
    assert_eq!(thermal::parse_temp(b"35780"), Ok(35_780));
    assert_eq!(thermal::parse_temp(b"44388x\n"), Err(Error::new(ErrorKind::Trailing, "temp")));
    assert_eq!(thermal::parse_temp(b"\n"), Err(Error::new(ErrorKind::Empty, "temp")));
    assert_eq!(thermal::parse_temp(b"4294967296"), Err(Error::new(ErrorKind::Range, "temp")));
    assert_eq!(thermal::parse_temp(b"44.3"), Err(Error::new(ErrorKind::Trailing, "temp")));
    assert_eq!(thermal::parse_type(b"cpu\nthermal"), Err(Error::new(ErrorKind::Trailing, "type")));
    assert!(thermal::zone(0, b"", Ok(b"1")).is_err());
}

#[test]
fn ina3221_hwmon_agx_orin_1_0040() {
    let dir = root("orin-agx-r36/sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3");
    let files = read_dir(&dir);
    let ina = ina3221::hwmon::parse_dir(view(&files)).unwrap();
    let sum = Ina3221Channel {
        kind: ChannelKind::ShuntSum,
        label: Some("sum of shunt voltages".try_into().unwrap()),
        milliamps: Some(1254),
        shunt_microvolts: Some(6270),
        crit_milliamps: Some(131_064),
        crit_alarm: Some(false),
        ..Ina3221Channel::new(7)
    };
    let alarms =
        |c: Ina3221Channel| Ina3221Channel { max_alarm: Some(false), crit_alarm: Some(false), ..c };
    assert_eq!(
        ina,
        Ina3221 {
            driver: Ina3221Driver::Hwmon,
            channels: [
                // 5016 mV × 638 mA = 3200.208 mW → 3200.
                alarms(rail(1, "VDD_GPU_SOC", 5016, 638, 3200, Some(3190))),
                // 5016 mV × 161 mA = 807.576 mW → 808.
                alarms(rail(2, "VDD_CPU_CV", 5016, 161, 808, Some(805))),
                // 5008 mV × 455 mA = 2278.64 mW → 2279.
                alarms(rail(3, "VIN_SYS_5V0", 5008, 455, 2279, Some(2275))),
                sum,
            ]
            .into_iter()
            .collect(),
        }
    );
    assert_eq!(ina.rail("VDD_GPU_SOC").and_then(|c| c.milliwatts), Some(3200));
}

#[test]
fn ina3221_hwmon_agx_orin_1_0041_nc_channels() {
    let dir = root("orin-agx-r36/sys/bus/i2c/drivers/ina3221/1-0041/hwmon/hwmon4");
    let files = read_dir(&dir);
    let expected_rail = Ina3221Channel {
        max_alarm: Some(false),
        crit_alarm: Some(false),
        ..rail(2, "VDDQ_VDD2_1V8AO", 5024, 162, 814, Some(810))
    };
    let sum = Ina3221Channel {
        kind: ChannelKind::ShuntSum,
        label: Some("sum of shunt voltages".try_into().unwrap()),
        milliamps: Some(162),
        shunt_microvolts: Some(810),
        crit_milliamps: Some(131_064),
        crit_alarm: Some(false),
        ..Ina3221Channel::new(7)
    };
    let expected = Ina3221 {
        driver: Ina3221Driver::Hwmon,
        channels: [
            labelled(1, ChannelKind::NotConnected, "NC"),
            expected_rail.clone(),
            labelled(3, ChannelKind::NotConnected, "NC"),
            sum,
        ]
        .into_iter()
        .collect(),
    };
    assert_eq!(ina3221::hwmon::parse_dir(view(&files)), Ok(expected.clone()));

    // On the device the disabled NC channels' value files exist and answer
    // ENODATA: the values stay None and nothing else changes.
    let nodata = ReadFault::from_errno(61);
    assert_eq!(nodata, ReadFault::NoData);
    let faulty = with_faults(
        files,
        &[
            ("in1_input", nodata),
            ("curr1_input", nodata),
            ("in3_input", nodata),
            ("curr3_input", nodata),
        ],
    );
    assert_eq!(ina3221::hwmon::parse_dir(view(&faulty)), Ok(expected.clone()));

    // PW-1: an attribute failing with `Input/output error` empties that value only.
    let faulty = with_faults(faulty, &[("curr2_input", ReadFault::from_errno(5))]);
    let ina = ina3221::hwmon::parse_dir(view(&faulty)).unwrap();
    let ch = ina.rail("VDDQ_VDD2_1V8AO").unwrap();
    assert_eq!((ch.millivolts, ch.milliamps, ch.milliwatts), (Some(5024), None, None));
    assert_eq!(ch.shunt_microvolts, Some(810));
    assert_eq!(ina.channels.len(), 4);

    // A label that cannot be read leaves a Rail without a name.
    let faulty = with_faults(read_dir(&dir), &[("in2_label", ReadFault::Io)]);
    let ina = ina3221::hwmon::parse_dir(view(&faulty)).unwrap();
    let ch = &ina.channels[1];
    assert_eq!((ch.channel, ch.kind, ch.label.as_deref()), (2, ChannelKind::Rail, None));
    assert_eq!(ch.milliwatts, Some(814));
}

#[test]
fn ina3221_iio_nano() {
    let dir = root("nano-r32/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0");
    let files = read_dir(&dir);
    let ina = ina3221::iio::parse_dir(view(&files)).unwrap();
    assert_eq!(
        ina,
        Ina3221 {
            driver: Ina3221Driver::Iio,
            channels: [
                rail(0, "POM_5V_IN", 5000, 204, 1020, None),
                rail(1, "POM_5V_GPU", 4992, 40, 199, None),
                rail(2, "POM_5V_CPU", 4984, 121, 603, None),
            ]
            .into_iter()
            .collect(),
        }
    );
    assert_json!(
        ina,
        concat!(
            r#"{"driver":"iio","channels":["#,
            r#"{"channel":0,"kind":"rail","label":"POM_5V_IN","mv":5000,"ma":204,"mw":1020,"#,
            r#""shunt_uv":null,"max_ma":32760,"crit_ma":32760,"max_alarm":null,"crit_alarm":null},"#,
            r#"{"channel":1,"kind":"rail","label":"POM_5V_GPU","mv":4992,"ma":40,"mw":199,"#,
            r#""shunt_uv":null,"max_ma":32760,"crit_ma":32760,"max_alarm":null,"crit_alarm":null},"#,
            r#"{"channel":2,"kind":"rail","label":"POM_5V_CPU","mv":4984,"ma":121,"mw":603,"#,
            r#""shunt_uv":null,"max_ma":32760,"crit_ma":32760,"max_alarm":null,"crit_alarm":null}]}"#
        )
    );
    // The IIO driver reports power itself: it is never recomputed.
    let odd = [
        ("rail_name_0", Ok(&b"X\n"[..])),
        ("in_voltage0_input", Ok(b"1000\n")),
        ("in_current0_input", Ok(b"1000\n")),
        ("in_power0_input", Ok(b"7\n")),
    ];
    assert_eq!(ina3221::iio::parse_dir(odd).unwrap().channels[0].milliwatts, Some(7));
}

#[test]
fn ina3221_errors() {
    let capacity = Err(Error::new(ErrorKind::Capacity, "ina3221 channels"));
    assert_eq!(ina3221::iio::parse_dir([("rail_name_3", Ok(&b"X"[..]))]), capacity);
    assert_eq!(ina3221::hwmon::parse_dir([("in8_label", Ok(&b"X"[..]))]), capacity);
    assert_eq!(ina3221::hwmon::parse_dir([("curr5_input", Ok(&b"1"[..]))]), capacity);
    assert_eq!(ina3221::hwmon::parse_dir([("in0_input", Ok(&b"1"[..]))]), capacity);
    let missing = Err(Error::missing("ina3221 channels"));
    assert_eq!(ina3221::hwmon::parse_dir([("name", Ok(&b"ina3221\n"[..]))]), missing);
    assert_eq!(ina3221::iio::parse_dir(core::iter::empty()), missing);
    assert_eq!(
        ina3221::hwmon::parse_dir([("curr1_input", Ok(&b"12 mA"[..]))]),
        Err(Error::new(ErrorKind::Trailing, "ina3221 current"))
    );
    assert_eq!(
        ina3221::iio::parse_dir([("warn_current_limit_0", Ok(&b"32760 mb"[..]))]),
        Err(Error::new(ErrorKind::Trailing, "ina3221 warn limit"))
    );
    assert_eq!(
        ina3221::hwmon::parse_dir([("curr1_max_alarm", Ok(&b"2"[..]))]),
        Err(Error::syntax("alarm"))
    );
    // A channel whose every file failed still exists, empty.
    let ina = ina3221::hwmon::parse_dir([("in1_input", Err(ReadFault::Io))]).unwrap();
    assert_eq!(ina.channels.as_slice(), [Ina3221Channel::new(1)]);
}

#[test]
fn power_rounding_is_exact() {
    assert_eq!(power_mw(5000, 204), Some(1020));
    assert_eq!(power_mw(1, 500), Some(1), "halves away from zero");
    assert_eq!(power_mw(1, 499), Some(0));
    assert_eq!(power_mw(-1, 500), Some(-1));
    assert_eq!(power_mw(5016, 161), Some(808));
    assert_eq!(power_mw(i32::MAX, i32::MAX), None);
    assert_eq!(power_mw(i32::MIN, i32::MIN), None);
}

#[test]
fn gpu_load_files() {
    let orin = root("orin-agx-r36/sys/devices/platform/bus@0/17000000.gpu/load");
    let load = gpu_load::parse(&fs::read(orin).unwrap()).unwrap();
    assert_eq!(load.per_mille, 0);
    assert_json!(load, r#"{"load":0.0}"#);

    let nano = root("nano-r32/sys/devices/gpu.0/load");
    let load = gpu_load::parse(&fs::read(nano).unwrap()).unwrap();
    assert_eq!(load.per_mille, 1000);
    assert_json!(load, r#"{"load":100.0}"#);

    // The Xavier NX path does not exist on AGX Orin r36.
    let missing = root("orin-agx-r36/sys/devices/platform/gpu.0/load");
    assert_eq!(read(&missing), Err(ReadFault::Missing));

    assert_json!(gpu_load::parse(b"405\n").unwrap(), r#"{"load":40.5}"#);
    assert_eq!(gpu_load::parse(b"1001\n"), Err(Error::new(ErrorKind::Range, "load")));
    assert_eq!(gpu_load::parse(b"-1\n"), Err(Error::new(ErrorKind::Range, "load")));
    assert_eq!(gpu_load::parse(b""), Err(Error::new(ErrorKind::Empty, "load")));
}

#[test]
fn pi_under_voltage_alarm() {
    let file = root(
        "pi4/sys/devices/platform/soc/soc:firmware/raspberrypi-hwmon/hwmon/hwmon1/in0_lcrit_alarm",
    );
    assert_eq!(alarm::parse(&fs::read(file).unwrap()), Ok(false));
    assert_eq!(alarm::parse(b"1\n"), Ok(true));
    assert_eq!(alarm::parse(b"2\n"), Err(Error::syntax("alarm")));
    assert_eq!(alarm::parse(b"1 1"), Err(Error::new(ErrorKind::Trailing, "alarm")));
}

#[test]
fn cpufreq_and_devfreq() {
    let f = cpufreq::parse(b"1510400\n").unwrap();
    assert_eq!(f.khz, 1_510_400);
    assert_json!(f, r#"{"khz":1510400}"#);
    assert_eq!(cpufreq::parse_governor(b"schedutil\n").unwrap(), "schedutil");
    assert_eq!(cpufreq::parse_governor(b"a b"), Err(Error::syntax("scaling_governor")));
    assert_eq!(cpufreq::parse(b"-1"), Err(Error::new(ErrorKind::Range, "cpufreq")));

    let d = devfreq::parse(b"1575000000\n").unwrap();
    assert_eq!(d.hz, 1_575_000_000);
    assert_json!(d, r#"{"hz":1575000000}"#);
    assert_eq!(devfreq::parse(b"12 Hz"), Err(Error::new(ErrorKind::Trailing, "devfreq")));
}

#[test]
fn read_faults_from_errno() {
    let cases = [
        (2, ReadFault::Missing),
        (5, ReadFault::Io),
        (11, ReadFault::Again),
        (22, ReadFault::Invalid),
        (61, ReadFault::NoData),
        (13, ReadFault::Denied),
        (999, ReadFault::Other),
    ];
    for (errno, f) in cases {
        assert_eq!(ReadFault::from_errno(errno), f, "{errno}");
    }
    let e = fs::read(root("nope")).unwrap_err();
    assert_eq!(fault(&e), ReadFault::Missing);
}

/// Every prefix and byte flip of every fixture file through every sysfs
/// parser: results, never panics.
#[test]
fn no_panics_on_mangled_files() {
    let dirs = [
        root("orin-agx-r36/sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3"),
        root("nano-r32/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0"),
    ];
    let mut contents: Vec<Vec<u8>> = Vec::new();
    for dir in &dirs {
        contents.extend(read_dir(dir).into_iter().filter_map(|(_, r)| r.ok()));
    }
    contents.push(b"\xff\xfe-\n".to_vec());
    for c in &contents {
        for end in 0..=c.len() {
            let s = &c[..end];
            let _ = thermal::parse_temp(s);
            let _ = thermal::parse_type(s);
            let _ = gpu_load::parse(s);
            let _ = cpufreq::parse(s);
            let _ = cpufreq::parse_governor(s);
            let _ = devfreq::parse(s);
            let _ = alarm::parse(s);
            for name in ["in1_label", "curr1_max", "in7_input", "curr4_crit_alarm"] {
                let _ = ina3221::hwmon::parse_dir([(name, Ok(s))]);
            }
            for name in ["rail_name_0", "warn_current_limit_2", "in_power1_input"] {
                let _ = ina3221::iio::parse_dir([(name, Ok(s))]);
            }
        }
    }
}
