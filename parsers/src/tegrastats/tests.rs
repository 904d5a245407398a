//! Variants that FORMATS.md §1 describes but the corpus shows once or not at
//! all. Each line is built from the grammar and the sample IDs it cites
//! (T-WA-2, T-GD-1, T-LE-5..9, T-JP7-2, T-KR-1, T-DD-10, J-T, J-6).

use edgestat_core::tegra::{Core, EngineState, Reading, SizeUnit};

use super::*;

fn ok(line: &str) -> TegraSample {
    match parse(line.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("{line}: {e}"),
    }
}

fn engine(s: &TegraSample, name: &str) -> EngineState {
    s.engines.iter().find(|e| e.name == name).map(|e| e.state).expect(name)
}

fn temp(s: &TegraSample, name: &str) -> (Reading, Option<Reading>) {
    s.temperatures.iter().find(|t| t.name == name).map(|t| (t.current, t.peak)).expect(name)
}

#[test]
fn xavier_nx_jetpack_512_one_element_gpc_list_and_mw_rails() {
    // T-WA-2 grammar: timestamp from JetPack 5.1.2, `@[114]`, `VIC_FREQ 115`, mW rails.
    let s = ok("03-24-2024 10:17:05 RAM 3151/6854MB (lfb 52x4MB) SWAP 0/3427MB (cached 0MB) \
        CPU [2%@1190,1%@1190,0%@1190,0%@1190,off,off] EMC_FREQ 0%@1600 GR3D_FREQ 0%@[114] \
        VIC_FREQ 115 APE 150 AUX@33C CPU@34.5C thermal@33.7C AO@34C GPU@33C PMIC@50C \
        VDD_IN 2763mW/2846mW VDD_CPU_GPU_CV 318mW/322mW VDD_SOC 956mW/958mW");
    assert_eq!(s.timestamp, edgestat_core::DateTime::new(2024, 3, 24, 10, 17, 5));
    let gpu = s.gpus.first().unwrap();
    assert_eq!((gpu.load, gpu.freqs_mhz.as_slice(), gpu.bracketed), (Some(0), &[114][..], true));
    assert_eq!(engine(&s, "VIC"), EngineState::Freq(115));
    assert!(s.engines.first().unwrap().freq_suffix);
    let vdd_in = s.rails.first().unwrap();
    assert_eq!((vdd_in.current_mw, vdd_in.average_mw, vdd_in.unit_printed), (2763, 2846, true));
    assert_eq!(s.cpu.cores.get(4), Some(&Core::Off));
    assert_eq!(s.unknown.count, 0);
}

#[test]
fn agx_orin_r35_unavailable_sensors_and_repeated_nc_rails() {
    // T-GD-1 grammar: `-256C` sentinels, `NC` twice, `GR3D_FREQ 0%@[0,0]`.
    let s = ok("RAM 2257/30536MB (lfb 5392x4MB) SWAP 0/15268MB (cached 0MB) \
        CPU [1%@729,0%@729,0%@729,0%@729,0%@729,0%@729,0%@729,0%@729,off,off,off,off] \
        EMC_FREQ 0%@204 GR3D_FREQ 0%@[0,0] VIC_FREQ 115 APE 233 CV0@-256C CPU@41.375C \
        Tboard@29C SOC2@39C Tdiode@30.75C SOC0@38.906C CV1@-256C GPU@-256C tj@41.468C \
        SOC1@38.843C CV2@-256C VDD_GPU_SOC 2390mW/2390mW VDD_CPU_CV 796mW/796mW \
        VIN_SYS_5V0 3522mW/3522mW NC 0mW/0mW VDDQ_VDD2_1V8AO 301mW/301mW NC 0mW/0mW");
    assert_eq!(temp(&s, "CV0").0, Reading::Unavailable);
    assert_eq!(temp(&s, "GPU").0, Reading::Unavailable);
    assert_eq!(temp(&s, "tj").0, Reading::MilliCelsius(41_468));
    let nc: heapless::Vec<_, 4> =
        s.rails.iter().filter(|r| r.name == "NC").map(|r| r.current_mw).collect();
    assert_eq!(nc.len(), 2, "both NC rails are kept");
    assert_eq!(s.rails.len(), 6);
    assert_eq!(s.gpus.first().unwrap().freqs_mhz.as_slice(), &[0, 0]);
    assert_eq!(s.cpu.cores.iter().filter(|c| **c == Core::Off).count(), 4);
}

#[test]
fn thor_three_gpcs_without_load_and_at_frequency_engines() {
    // T-LE-5..8 grammar: `GR3D_FREQ @[314,314,314]`, `OFA_FREQ @1556`, r39 `gpu` sensor.
    let s = ok("05-17-2026 10:05:12 RAM 5120/125773MB (lfb 30x4MB) SWAP 0/2048MB (cached 0MB) \
        CPU [12%@2601,8%@2601,0%@972,0%@972,1%@972,0%@972,1%@972,1%@972,0%@972,0%@972,3%@972,\
        0%@972,0%@972,1%@972] EMC_FREQ 4%@4266 GR3D_FREQ @[314,314,314] NVENC0_FREQ @0 \
        NVENC1_FREQ @0 NVDEC0_FREQ @0 NVDEC1_FREQ @0 NVJPG0_FREQ @0 VIC off OFA_FREQ @1556 \
        PVA0_FREQ off APE 300 cpu@40.5C tj@41.25C soc012@39.781C soc345@40.5C gpu@38.5C \
        VDD_GPU 1203mW/1104mW VDD_CPU_SOC_MSS 6012mW/5530mW VIN_SYS_5V0 4426mW/4301mW");
    assert_eq!(s.cpu.cores.len(), 14);
    let gpu = s.gpus.first().unwrap();
    assert_eq!((gpu.load, gpu.freqs_mhz.as_slice()), (None, &[314, 314, 314][..]));
    assert_eq!(engine(&s, "OFA"), EngineState::AtFreq(1556));
    assert_eq!(engine(&s, "NVENC1"), EngineState::AtFreq(0));
    assert_eq!(engine(&s, "PVA0"), EngineState::Off);
    assert_eq!(temp(&s, "soc012").0, Reading::MilliCelsius(39_781));
    assert_eq!(s.unknown.count, 0);
}

#[test]
fn jetpack7_peaks_only_rise_and_three_value_rails() {
    // T-JP7-2 grammar: `cpu@47.562C/48C` after `cpu@48C/48C`, three rail values.
    let s = ok("09-04-2026 19:40:47 RAM 1810/7486MB (lfb 8x4MB) \
        CPU [70%@1510,1%@1510,0%@1510,3%@1510,30%@729,0%@729] EMC_FREQ 1%@2133 \
        GR3D_FREQ 3%@[305] NVDEC0 off NVJPG0 off NVJPG1 off VIC off OFA off APE 200 \
        cpu@47.562C/48C soc2@46.843C/46.906C VDD_IN 4093mW/4463mW/4832mW");
    assert_eq!(s.swap, None, "JetPack 7 without swap has no SWAP token");
    assert_eq!(
        temp(&s, "cpu"),
        (Reading::MilliCelsius(47_562), Some(Reading::MilliCelsius(48_000)))
    );
    let rail = s.rails.first().unwrap();
    assert_eq!((rail.current_mw, rail.average_mw, rail.peak_mw), (4093, 4463, Some(4832)));
    assert_eq!(engine(&s, "NVDEC0"), EngineState::Off);
}

#[test]
fn orin_r35_template_second_gpu_token() {
    // J-T grammar with numbers: `GR3D_FREQ x%@0 GR3D2_FREQ y%@0`, `NVJPG1 729`.
    let s = ok("RAM 2257/30536MB (lfb 5392x4MB) CPU [5%@729,7%@729] EMC_FREQ 0%@204 \
        GR3D_FREQ 12%@0 GR3D2_FREQ 9%@0 NVJPG1 729 VIC_FREQ 115 APE 233");
    assert_eq!(s.gpus.len(), 2);
    let second = s.gpus.get(1).unwrap();
    assert_eq!((second.name.as_str(), second.load, second.bracketed), ("GR3D2", Some(9), false));
    assert_eq!(engine(&s, "NVJPG1"), EngineState::Freq(729));
}

#[test]
fn legacy_l4t_28_with_engines_and_kilobyte_lfb() {
    // T-KR-1 / T-HO-3 grammar: lower-case `cpu [..]@F`, `NVDEC`, `MSENC`, kB lfb.
    let s = ok("RAM 1541/3983MB (lfb 1x512kB) SWAP 0/0MB (cached 0MB) cpu [35%,29%,31%,29%]@1734 \
        EMC 21%@1600 APE 25 NVDEC 716 MSENC 716 GR3D 0%@998");
    assert!(s.legacy);
    assert_eq!(s.cpu.shared_freq_mhz, Some(1734));
    assert_eq!(s.cpu.cores.first(), Some(&Core::On { load: 35, freq_mhz: None }));
    assert_eq!(s.ram.lfb.map(|l| (l.count, l.size, l.unit)), Some((1, 512, SizeUnit::KiloBytes)));
    assert_eq!(engine(&s, "MSENC"), EngineState::Freq(716));
    let gpu = s.gpus.first().unwrap();
    assert_eq!((gpu.name.as_str(), gpu.freq_suffix, gpu.load), ("GR3D", false, Some(0)));
    assert_eq!(s.emc.map(|e| (e.load, e.freq_mhz)), Some((21, Some(1600))));
}

#[test]
fn five_of_six_cores_off_and_runs_of_spaces() {
    // T-DD-10 grammar, padded like T-DD-7.
    let s = ok("RAM 1903/7846MB   (lfb 883x4MB)  CPU   [0%@2035,off,off,off,off,off]   \
        EMC_FREQ  0%@1866   GR3D_FREQ    0%@1300 APE 150 AO@44C VDD_IN 1982/1982\r\n");
    assert_eq!(s.cpu.cores.iter().filter(|c| **c == Core::Off).count(), 5);
    assert_eq!(s.ram.lfb.map(|l| l.count), Some(883));
    assert_eq!(s.unknown.count, 0);
}

#[test]
fn swap_after_cpu_is_accepted() {
    // J-6 puts SWAP after CPU.
    let s = ok("RAM 4722/7844MB (lfb 1x512kB) CPU [55%@2035] SWAP 149/1024MB (cached 7MB)");
    assert_eq!(s.swap.map(|w| (w.used_mb, w.total_mb, w.cached_mb)), Some((149, 1024, Some(7))));
}

#[test]
fn lines_that_are_not_tegrastats_are_rejected() {
    assert_eq!(parse(b"Thu Dec 17 18:16:50 UTC 2020"), Err(Error::missing("RAM")));
    assert_eq!(parse(b""), Err(Error::new(ErrorKind::Empty, "line")));
    assert_eq!(parse(b"  \r\n"), Err(Error::new(ErrorKind::Empty, "line")));
    assert_eq!(parse(b"RAM x/yMB CPU [1%@2]"), Err(Error::missing("RAM")));
}

#[test]
fn one_odd_token_never_drops_the_line() {
    let s = ok("RAM 1/2MB (lfb 1x4MB) CPU [1%@2,$X] GR3D_FREQ ??% FOO@barC VDD_IN 5/5 WEIRD");
    assert!(s.cpu.cores.is_empty(), "the unparsable CPU list is kept as unknown");
    assert_eq!(s.rails.len(), 1);
    assert_eq!(s.unknown.count, 6);
    assert_eq!(s.unknown.tokens.first().map(|t| t.as_str()), Some("CPU"));
}

#[test]
fn a_repeated_single_field_is_unknown_not_overwritten() {
    let s = ok("RAM 1/2MB RAM 3/4MB APE 25 APE 30");
    assert_eq!((s.ram.used_mb, s.ape), (1, Some(25)));
    assert_eq!(s.unknown.count, 4);
}

#[test]
fn capacity_overflow_is_an_explicit_error() {
    let mut line = heapless::String::<512>::new();
    line.push_str("RAM 1/2MB CPU [").unwrap();
    for i in 0..=edgestat_core::capacity::MAX_CORES {
        line.push_str(if i == 0 { "1%@2" } else { ",1%@2" }).unwrap();
    }
    line.push(']').unwrap();
    assert_eq!(parse(line.as_bytes()), Err(Error::new(ErrorKind::Capacity, "CPU")));

    let mut line = heapless::String::<512>::new();
    line.push_str("RAM 1/2MB").unwrap();
    for _ in 0..=edgestat_core::capacity::MAX_RAILS {
        line.push_str(" NC 0mW/0mW").unwrap();
    }
    assert_eq!(parse(line.as_bytes()), Err(Error::new(ErrorKind::Capacity, "rail")));
}

#[test]
fn out_of_range_numbers_are_unknown_tokens() {
    let s = ok("RAM 1/2MB APE 99999999999 cpu@3000000C");
    assert_eq!((s.ape, s.temperatures.len(), s.unknown.count), (None, 0, 3));
}
