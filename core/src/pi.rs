//! Raspberry Pi values from `vcgencmd`: throttling, clocks, volts, memory
//! split, firmware version, configuration and the Pi 5 PMIC rails.
