//! Values read from sysfs: thermal zones, INA3221 power monitors (both driver
//! generations), GPU load, cpufreq and hwmon alarms.
