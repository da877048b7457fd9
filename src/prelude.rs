//! What `std`'s prelude gives, from `alloc`: the wasm build has no `std`.
//! Not `format!` nor `ToString`, which would link `core::fmt` into the
//! wasm build: texts are written with `crate::text::cat!` (the wasm build
//! does not compile with either; host-only code has `std`'s).
#[allow(unused_imports)]
#[cfg(target_arch = "wasm32")]
pub use self::FloatExt as _;
#[allow(unused_imports)]
pub use alloc::{borrow::ToOwned, boxed::Box, string::String, vec, vec::Vec};

/// What `std` adds to `f64` and the library uses: in the wasm build, whose
/// `core` has no float rounding, from [`crate::float`].
#[allow(dead_code)]
pub trait FloatExt {
    /// The value rounded toward minus infinity.
    fn floor(self) -> f64;
    /// The value with its fraction dropped.
    fn trunc(self) -> f64;
    /// The nearest whole value, half away from zero.
    fn round(self) -> f64;
    /// The fraction, with the value's sign.
    fn fract(self) -> f64;
}

#[cfg(target_arch = "wasm32")]
impl FloatExt for f64 {
    fn floor(self) -> f64 {
        crate::float::floor(self)
    }
    fn trunc(self) -> f64 {
        crate::float::trunc(self)
    }
    fn round(self) -> f64 {
        crate::float::round(self)
    }
    fn fract(self) -> f64 {
        self - crate::float::trunc(self)
    }
}
