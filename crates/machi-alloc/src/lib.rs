//! The memory allocator of machi's binaries (`machi` and the reader benchmark).
//!
//! Reading a large document makes millions of small allocations, and mimalloc cuts the 50 MB benchmark's
//! user CPU time by about 30% against the system allocator. [`Allocator`] calls it without the
//! `mimalloc` crate's wrapper, which sends every allocation through mimalloc's aligned entry points: an
//! alignment mimalloc guarantees anyway (16 bytes) takes its plain `mi_malloc`, about 3% fewer
//! instructions on the benchmark and less memory.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// Every block `mi_malloc` returns is aligned to this (`MI_MAX_ALIGN_SIZE` in mimalloc's headers), or to
/// its own size when smaller (an 8-byte block is 8-aligned).
const GUARANTEED_ALIGN: usize = 16;

/// Whether the plain entry points give a block of `size` bytes `align` (the rule of std's own `System`).
#[inline]
fn plain(size: usize, align: usize) -> bool {
    align <= GUARANTEED_ALIGN && align <= size
}

/// A new block for `layout` from mimalloc's plain entry point, or from its aligned one when the block
/// needs more alignment than the plain one gives.
///
/// # Safety
/// As [`GlobalAlloc::alloc`]: `layout` has a non-zero size.
#[inline]
unsafe fn new_block(
    layout: Layout,
    plain_entry: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_entry: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    unsafe {
        if plain(size, align) {
            plain_entry(size)
        } else {
            aligned_entry(size, align)
        }
    }
    .cast()
}

/// mimalloc, as a global allocator: `#[global_allocator] static A: Allocator = Allocator;`.
pub struct Allocator;

// SAFETY: each method forwards to the mimalloc function with the same contract, choosing the aligned
// variant whenever the block (at its new size, for `realloc`) needs more alignment than mimalloc gives
// every block of that size.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { new_block(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { new_block(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (p, align) = (ptr.cast::<c_void>(), layout.align());
        // The moved block must be aligned at its new size: a shrunk block may fall in a smaller class.
        unsafe {
            if plain(new_size, align) {
                mi::mi_realloc(p, new_size)
            } else {
                mi::mi_realloc_aligned(p, new_size, align)
            }
        }
        .cast()
    }
}

/// mimalloc's `mi_option_purge_delay` (mimalloc.h; the Rust binding names no constant for it).
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;

/// Tune mimalloc for a one-shot command (an import, the reader benchmark), whose cost past its
/// instructions is page faults:
///
/// - Keep the memory the process frees for its own next allocations. By default mimalloc gives freed
///   memory back to the OS after a second (`purge_delay`, 1,000 ms in mimalloc v3); reading a large
///   document frees and allocates in waves, and those pages came back as faults to clear (the 50 MB
///   reader benchmark took 1,200–2,100 page faults instead of ~580).
/// - Ask for transparent huge pages (`madvise`), one fault per 2 MiB instead of per 4 KiB. On a virtual
///   machine a fault is dear: the benchmark's system time, which swung between 0.1 and 1.1 s with the
///   memory it touches, stays at about 0.1 s. Where the kernel gives no huge pages nothing changes.
///
/// A long-running server should keep the defaults, which give memory back and commit it lazily.
pub fn tune_for_one_shot_command() {
    // SAFETY: `mi_option_set` stores an option value, which mimalloc reads atomically. Segments
    // mapped from now on follow the new values.
    unsafe {
        mi::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        mi::mi_option_set_enabled(mi::mi_option_large_os_pages, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_zeroed_and_moved_as_asked() {
        let a = Allocator;
        for align in [1, 8, 16, 32, 64, 4096] {
            for size in [1, 8, 24, 100, 5000, 1 << 20] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: the layout has a non-zero size; every block is freed with its layout.
                unsafe {
                    let p = a.alloc_zeroed(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                    p.write_bytes(0xAB, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "growing keeps align {align}");
                    assert!(std::slice::from_raw_parts(q, size).iter().all(|&b| b == 0xAB));
                    // Shrunk to one byte, a block still has its alignment (a 16-aligned block of 32
                    // bytes must not come back 8-aligned in mimalloc's 8-byte class).
                    let grown = Layout::from_size_align(size * 3, align).unwrap();
                    let r = a.realloc(q, grown, 1);
                    assert_eq!(r as usize % align, 0, "shrinking keeps align {align}");
                    assert_eq!(*r, 0xAB);
                    a.dealloc(r, Layout::from_size_align(1, align).unwrap());
                }
            }
        }
    }

    #[test]
    fn one_shot_tuning_sets_the_purge_delay_and_huge_pages() {
        // The purge delay's index is ours, not the binding's: mimalloc v3's default (1,000 ms)
        // shows it names that option before we change it.
        // SAFETY: reading and setting options has no precondition.
        unsafe {
            assert_eq!(mi::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            assert!(!mi::mi_option_is_enabled(mi::mi_option_large_os_pages));
            tune_for_one_shot_command();
            assert_eq!(mi::mi_option_get(MI_OPTION_PURGE_DELAY), -1);
            assert!(mi::mi_option_is_enabled(mi::mi_option_large_os_pages));
        }
        // Blocks mapped after the change, large and small, are still whole and writable.
        let big = vec![7u8; 8 << 20];
        assert!(big.iter().all(|&b| b == 7));
        let small: Vec<Box<u64>> = (0..10_000).map(Box::new).collect();
        assert_eq!(small.iter().map(|b| **b).sum::<u64>(), 49_995_000);
    }
}
