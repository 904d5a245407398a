//! `/proc/meminfo`: memory figures in kB.

use serde::Serialize;

/// The `/proc/meminfo` keys edgestat uses, in kB as the kernel prints them.
///
/// A key the running kernel does not print is `None` (`MemAvailable` came
/// in 3.14, `CmaTotal`/`CmaFree` need `CONFIG_CMA`, which Raspberry Pi and
/// Jetson kernels enable for the GPU and camera buffers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MemInfo {
    /// `MemTotal`: usable RAM.
    pub mem_total_kb: Option<u64>,
    /// `MemFree`: unused RAM.
    pub mem_free_kb: Option<u64>,
    /// `MemAvailable`: the kernel's estimate of RAM available without swapping.
    pub mem_available_kb: Option<u64>,
    /// `Buffers`: block device buffers.
    pub buffers_kb: Option<u64>,
    /// `Cached`: page cache (without swap cache).
    pub cached_kb: Option<u64>,
    /// `SwapCached`: swapped-out memory that is also in RAM.
    pub swap_cached_kb: Option<u64>,
    /// `SwapTotal`: total swap (zram included).
    pub swap_total_kb: Option<u64>,
    /// `SwapFree`: unused swap.
    pub swap_free_kb: Option<u64>,
    /// `Shmem`: shared memory and tmpfs.
    pub shmem_kb: Option<u64>,
    /// `SReclaimable`: slab that can be reclaimed.
    pub sreclaimable_kb: Option<u64>,
    /// `SUnreclaim`: slab that cannot be reclaimed.
    pub sunreclaim_kb: Option<u64>,
    /// `CmaTotal`: the contiguous memory allocator's reserve.
    pub cma_total_kb: Option<u64>,
    /// `CmaFree`: unused part of the CMA reserve.
    pub cma_free_kb: Option<u64>,
    /// How many other keys the file had (accepted and ignored).
    pub other_keys: u16,
}

impl MemInfo {
    /// RAM in use as `free` counts it: total minus free, buffers, page cache
    /// and reclaimable slab; `None` when a term is missing.
    pub fn used_kb(&self) -> Option<u64> {
        let cache = self.cached_kb?.saturating_add(self.sreclaimable_kb.unwrap_or(0));
        Some(
            self.mem_total_kb?
                .saturating_sub(self.mem_free_kb?)
                .saturating_sub(self.buffers_kb?)
                .saturating_sub(cache),
        )
    }
}
