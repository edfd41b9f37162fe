//! Boundary helpers: the panic guard every exported function runs in, reading C strings and byte ranges,
//! writing through C out-pointers, and the snprintf-style buffer writer.

use core::ffi::{CStr, c_char};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::aic_status;

/// Runs `body`, returning `on_panic` if it panics, so no unwinding ever crosses into C.
///
/// The exported functions are written not to panic (no indexing without a bound check, no `unwrap`); this is
/// the second line of defence, and it does not depend on the profile's `panic` setting.
pub(crate) fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// [`guard`] for functions that return a status: a panic becomes `AIC_ERR_INTERNAL`.
pub(crate) fn guard_status(body: impl FnOnce() -> Result<(), aic_status>) -> aic_status {
    guard(aic_status::AIC_ERR_INTERNAL, || match body() {
        Ok(()) => aic_status::AIC_OK,
        Err(status) => status,
    })
}

/// Reads a C string argument as UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char) -> Result<&'a str, aic_status> {
    if p.is_null() {
        return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
    }
    // SAFETY: `p` is not NULL, and the caller guarantees it points to a NUL-terminated string valid for 'a.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|_| aic_status::AIC_ERR_INVALID_UTF8)
}

/// Reads a (pointer, length) argument as bytes. NULL is refused whatever the length (a slice needs a pointer),
/// and so is a length no object can have (above `isize::MAX`).
///
/// # Safety
/// `p` is NULL or valid for reads of `len` bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes_arg<'a>(p: *const u8, len: usize) -> Result<&'a [u8], aic_status> {
    if p.is_null() {
        return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
    }
    if isize::try_from(len).is_err() {
        return Err(aic_status::AIC_ERR_INVALID_ARGUMENT);
    }
    // SAFETY: `p` is not NULL, `len` is at most `isize::MAX`, and the caller guarantees `len` readable bytes at
    // `p`, unchanged for 'a. Any byte is a valid `u8`, and `u8` has alignment 1.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// Writes `value` through the out-pointer `out` when it is not NULL.
///
/// # Safety
/// `out` is NULL or valid for a write of one properly aligned `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: `out` is not NULL, and the caller guarantees it is valid and aligned for writing a `T`.
        // `write` does not read or drop the old contents, which may be uninitialised.
        unsafe { out.write(value) };
    }
}

/// A caller-supplied output buffer with snprintf semantics: bytes beyond the capacity are counted, not written,
/// and the text is always NUL-terminated when the buffer has room for at least the NUL.
pub(crate) struct CBuffer<'a> {
    /// The caller's buffer, all of it (the last usable byte is kept for the NUL).
    buf: &'a mut [u8],
    /// Bytes copied into `buf`.
    written: usize,
    /// Bytes the whole text needs, without the NUL.
    needed: usize,
}

impl<'a> CBuffer<'a> {
    /// Wraps the caller's `buf` of `size` bytes.
    ///
    /// # Safety
    /// When `size > 0`, `buf` is not NULL and is valid for writes of `size` bytes for `'a`, and nothing else
    /// accesses those bytes meanwhile. `buf` may be NULL when `size` is 0.
    pub(crate) unsafe fn new(buf: *mut c_char, size: usize) -> Result<CBuffer<'a>, aic_status> {
        let buf: &mut [u8] = if size == 0 {
            &mut []
        } else if buf.is_null() {
            return Err(aic_status::AIC_ERR_NULL_ARGUMENT);
        } else {
            // SAFETY: `buf` is not NULL and the caller guarantees `size` writable bytes, exclusively ours for
            // 'a. `u8` and `c_char` have the same size and alignment, and any byte is a valid `u8`.
            unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), size) }
        };
        Ok(CBuffer {
            buf,
            written: 0,
            needed: 0,
        })
    }

    /// Terminates the text and reports `(needed, fitted)`: the length of the whole text without the NUL, and
    /// whether all of it fitted. A cut text ends before a partial UTF-8 character, so what was written is
    /// always valid UTF-8.
    pub(crate) fn finish(self) -> (usize, bool) {
        let fitted = self.written == self.needed;
        let end = match core::str::from_utf8(&self.buf[..self.written]) {
            Ok(_) => self.written,
            Err(e) => e.valid_up_to(),
        };
        if let Some(nul) = self.buf.get_mut(end) {
            *nul = 0;
        }
        (self.needed, fitted && !self.buf.is_empty())
    }
}

/// Writes a document into the caller's buffer the way every `aic_*_json` function does (snprintf convention):
/// `*needed` is 0 until a document is produced, then its length without the NUL; the buffer is NUL-terminated
/// on every path once it is known to be valid; a document that did not fit gives `AIC_ERR_BUFFER_TOO_SMALL`;
/// argument errors (`write` returning one before writing anything) leave `*needed` at 0. `write` reads the
/// arguments, writes the document into the buffer and returns the status of what it read.
///
/// # Safety
/// `buf` is valid for writing `size` bytes (or `size` is 0), `needed` is NULL or valid for writing a size_t,
/// and nothing else touches either during the call.
pub(crate) unsafe fn json_into_buffer(
    buf: *mut c_char,
    size: usize,
    needed: *mut usize,
    write: impl FnOnce(&mut CBuffer<'_>) -> Result<(), aic_status>,
) -> Result<(), aic_status> {
    // SAFETY: the caller guarantees `needed` is NULL or valid for writing a size_t.
    unsafe { write_out(needed, 0) };
    // SAFETY: the caller guarantees `buf` is valid for writing `size` bytes, or that size is 0, and that nothing
    // else touches it during the call.
    let mut out = unsafe { CBuffer::new(buf, size) }?;
    // From here on `out.finish()` runs on every path, so the buffer is always NUL-terminated.
    let result = if needed.is_null() {
        Err(aic_status::AIC_ERR_NULL_ARGUMENT)
    } else {
        write(&mut out)
    };
    let (length, fitted) = out.finish();
    if result == Err(aic_status::AIC_ERR_NULL_ARGUMENT) {
        return result;
    }
    // SAFETY: `needed` is not NULL (checked above) and valid for writing a size_t.
    unsafe { write_out(needed, length) };
    if length > 0 && !fitted {
        return Err(aic_status::AIC_ERR_BUFFER_TOO_SMALL);
    }
    result
}

impl io::Write for CBuffer<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // One byte stays free for the NUL.
        let room = self
            .buf
            .len()
            .saturating_sub(1)
            .saturating_sub(self.written);
        let n = room.min(data.len());
        if let (Some(dst), Some(src)) = (
            self.buf.get_mut(self.written..self.written + n),
            data.get(..n),
        ) {
            dst.copy_from_slice(src);
            self.written += n;
        }
        self.needed = self.needed.saturating_add(data.len());
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn run(size: usize, text: &str) -> (Vec<u8>, usize, bool) {
        let mut storage = vec![0xAAu8; size + 4];
        // SAFETY: `storage` has `size + 4` writable bytes and outlives the buffer.
        let mut b = unsafe { CBuffer::new(storage.as_mut_ptr().cast(), size) }.unwrap();
        b.write_all(text.as_bytes()).unwrap();
        let (needed, fitted) = b.finish();
        (storage, needed, fitted)
    }

    #[test]
    fn buffer_follows_snprintf() {
        // (size, text, bytes expected in the buffer up to and including the NUL, fitted)
        let table: &[(usize, &str, &[u8], bool)] = &[
            (0, "abc", b"", false),
            (1, "abc", b"\0", false),
            (3, "abc", b"ab\0", false),
            (4, "abc", b"abc\0", true),
            (10, "abc", b"abc\0", true),
            (1, "", b"\0", true),
            // "é" is two bytes: a cut inside it keeps the text valid UTF-8.
            (3, "aé", b"a\0", false),
            (4, "aé", b"a\xc3\xa9\0", true),
        ];
        for &(size, text, expect, fit) in table {
            let (storage, needed, fitted) = run(size, text);
            assert_eq!(needed, text.len(), "{size} {text:?}");
            assert_eq!(fitted, fit, "{size} {text:?}");
            assert_eq!(&storage[..expect.len()], expect, "{size} {text:?}");
            // Nothing is written past `size`.
            assert!(
                storage[size..].iter().all(|&b| b == 0xAA),
                "{size} {text:?}"
            );
        }
    }

    #[test]
    fn null_buffer_only_with_size_zero() {
        // SAFETY: a NULL buffer of size 0 is never written.
        assert!(unsafe { CBuffer::new(core::ptr::null_mut(), 0) }.is_ok());
        // SAFETY: a NULL buffer with a size is rejected before any access.
        let e = unsafe { CBuffer::new(core::ptr::null_mut(), 8) }.err();
        assert_eq!(e, Some(aic_status::AIC_ERR_NULL_ARGUMENT));
    }

    #[test]
    fn guard_turns_a_panic_into_the_fallback() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let caught = guard_status(|| panic!("boom"));
        let fine = guard_status(|| Err(aic_status::AIC_ERR_NOT_FOUND));
        std::panic::set_hook(prev);
        assert_eq!(caught, aic_status::AIC_ERR_INTERNAL);
        assert_eq!(fine, aic_status::AIC_ERR_NOT_FOUND);
    }
}
