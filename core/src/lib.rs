//! # edgestat-core: the model layer
//!
//! The values one sample of an edge device is made of, sized for the worst
//! real device and held in fixed-capacity [`heapless`] containers.
//!
//! Promises:
//! - `#![no_std]`, no `alloc`, no `unsafe`: every type here lives on the stack
//!   or in a `static`, and nothing here allocates.
//! - Units are the source's own integers (milli-°C, mW, kB, MHz, Hz), so no
//!   precision is lost between a device and a client. Conversion to display
//!   units happens when JSON is written ([`json`]).
//! - Every capacity is a named constant in [`capacity`] with the device that
//!   sized it. Filling past a capacity is an explicit error
//!   ([`CapacityError`]), never silent truncation.
//!
//! Modules by data source: [`tegra`] (a tegrastats line), [`platform`]
//! (which board: the L4T release), [`pi`] (vcgencmd
//! replies), [`sysfs`] (thermal zones, INA3221, GPU load), [`linux`] (/proc).
//! Between agents and a fleet manager (seed 003): [`fleet`].
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod capacity;
pub mod fleet;
pub mod json;
pub mod linux;
pub mod name;
pub mod pi;
pub mod platform;
pub mod sysfs;
pub mod tegra;
pub mod time;

pub use name::{CapacityError, Name};
pub use time::DateTime;
