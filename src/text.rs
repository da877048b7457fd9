//! Messages and texts built without `core::fmt`: [`cat!`] pushes its
//! pieces onto a `String`. `format!` linked fmt's interpreter, the padding
//! of `{}` and every `Display` it reached into the .wasm.
//!
//! ```text
//! let text = cat!("batch item ", index, " is not ", quoted(kind));
//! ```

use crate::prelude::*;

/// One piece of a [`cat!`] text.
pub trait Piece {
    /// Appends the piece to `out`.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

macro_rules! unsigned_piece {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                push_decimal(out, *self as u64, 1);
            }
        }
    )*};
}
unsigned_piece!(u8, u16, u32, u64, usize);

impl Piece for i64 {
    fn push_to(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_decimal(out, self.unsigned_abs(), 1);
    }
}

impl Piece for i32 {
    fn push_to(&self, out: &mut String) {
        i64::from(*self).push_to(out);
    }
}

/// A whole number written with at least `.1` digits, zeros in front
/// (`{:02}` of `format!`).
pub struct Padded(pub u64, pub usize);

impl Piece for Padded {
    fn push_to(&self, out: &mut String) {
        push_decimal(out, self.0, self.1);
    }
}

/// A number in uppercase hexadecimal, at least four digits (`{:04X}`).
pub struct Hex4(pub u32);

impl Piece for Hex4 {
    fn push_to(&self, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut started = false;
        for shift in (0..8).rev() {
            let digit = (self.0 >> (shift * 4)) & 0xF;
            if digit != 0 || shift < 4 {
                started = true;
            }
            if started {
                out.push(char::from(DIGITS[digit as usize]));
            }
        }
    }
}

/// Appends `n` in decimal with at least `width` digits.
pub fn push_decimal(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    while len < digits.len() {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    for digit in digits.iter().take(len).rev() {
        out.push(char::from(*digit));
    }
}

/// The text of its pieces (`&str`, `String`, `char`, whole numbers,
/// [`Padded`], [`Hex4`]), one after the other.
macro_rules! cat {
    ($($piece:expr),* $(,)?) => {{
        let mut out = $crate::prelude::String::new();
        $( $crate::text::Piece::push_to(&$piece, &mut out); )*
        out
    }};
}
pub(crate) use cat;
