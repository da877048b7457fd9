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

// Splitting and trimming at an ASCII byte: what `split`, `split_once`,
// `find` and `trim_*_matches` do with a `char`, as plain loops over the
// bytes instead of `core::str::pattern`'s searchers (their code and its
// memchr, about 1.5 KB of wasm). An ASCII byte never stands inside a
// longer UTF-8 sequence, so every cut falls on a character boundary.

/// Where `byte` (ASCII) first stands in `text`.
pub fn find_byte(text: &str, byte: u8) -> Option<usize> {
    text.bytes().position(|b| b == byte)
}

/// `text` cut at its first `byte` (ASCII), which goes: `split_once(char)`.
pub fn split_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = find_byte(text, byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The pieces of `text` between its `byte`s (ASCII): `split(char)`.
pub fn split_byte(text: &str, byte: u8) -> SplitByte<'_> {
    SplitByte { rest: Some(text), byte }
}

/// What [`split_byte`] gives.
pub struct SplitByte<'a> {
    rest: Option<&'a str>,
    byte: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        match split_once_byte(text, self.byte) {
            Some((piece, rest)) => {
                self.rest = Some(rest);
                Some(piece)
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }
}

/// `text` without the `byte`s (ASCII) it starts with: `trim_start_matches(char)`.
pub fn trim_start_byte(text: &str, byte: u8) -> &str {
    let mut start = 0;
    while text.as_bytes().get(start) == Some(&byte) {
        start += 1;
    }
    text.get(start..).unwrap_or(text)
}

/// `text` without the `byte`s (ASCII) it ends with: `trim_end_matches(char)`.
pub fn trim_end_byte(text: &str, byte: u8) -> &str {
    let mut end = text.len();
    while end > 0 && text.as_bytes().get(end - 1) == Some(&byte) {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

/// `text` as a `u64` (an optional `+`, then decimal digits, nothing
/// else), as `str::parse::<u64>` reads it: the crate's one integer
/// parser, a loop instead of core's parser for every radix.
pub fn parse_u64(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for byte in digits.bytes() {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(n)
}

/// `text` as an `i64` (an optional `+` or `-`, then decimal digits), as
/// `str::parse::<i64>` reads it, through [`parse_u64`]: a second
/// `str::parse` instantiation costs its own 0.3 KB of wasm.
pub fn parse_i64(text: &str) -> Option<i64> {
    let Some(digits) = text.strip_prefix('-') else { return i64::try_from(parse_u64(text)?).ok() };
    // `parse_u64` takes a `+`, which `i64`'s parser takes only without a `-`.
    if digits.starts_with('+') {
        return None;
    }
    0i64.checked_sub_unsigned(parse_u64(digits)?)
}

/// `text` without the white space around it (Unicode's, as
/// `char::is_whitespace` says): `str::trim`, as one loop over its
/// characters instead of a pattern searcher from each end.
pub fn trim_white(text: &str) -> &str {
    let (mut start, mut end) = (None, 0);
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            start = Some(start.unwrap_or(at));
            end = at + c.len_utf8();
        }
    }
    start.and_then(|start| text.get(start..end)).unwrap_or("")
}

/// The words of `text` (runs without white space) with one space between
/// them: `split_whitespace` joined with `" "`.
pub fn fold_white(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{
        find_byte, fold_white, parse_i64, parse_u64, split_byte, split_once_byte, trim_end_byte, trim_start_byte,
        trim_white,
    };
    use crate::prelude::*;

    #[test]
    fn byte_cuts_give_what_char_patterns_give() {
        let texts = ["", "a", "&", "&&", "a&b", "&a&&b&", "héllo&wörld", "日本&語", "v=1&page=2", "//x//", "x"];
        for text in texts {
            for (byte, c) in [(b'&', '&'), (b'/', '/'), (b'x', 'x')] {
                assert_eq!(find_byte(text, byte), text.find(c), "{text:?} {c:?}");
                assert_eq!(split_once_byte(text, byte), text.split_once(c), "{text:?} {c:?}");
                assert_eq!(split_byte(text, byte).collect::<Vec<_>>(), text.split(c).collect::<Vec<_>>(), "{text:?}");
                assert_eq!(trim_start_byte(text, byte), text.trim_start_matches(c), "{text:?} {c:?}");
                assert_eq!(trim_end_byte(text, byte), text.trim_end_matches(c), "{text:?} {c:?}");
            }
        }
    }

    #[test]
    fn the_integer_parsers_read_what_str_parse_reads() {
        let texts = [
            "",
            "+",
            "-",
            "0",
            "+0",
            "-0",
            "007",
            "-007",
            "42",
            "+42",
            "-42",
            "++4",
            "-+4",
            "+-4",
            "--4",
            "4+",
            " 4",
            "4 ",
            "1e3",
            "4.0",
            "١٢",
            "0x10",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
        ];
        for text in texts {
            assert_eq!(parse_u64(text), text.parse::<u64>().ok(), "{text:?}");
            assert_eq!(parse_i64(text), text.parse::<i64>().ok(), "{text:?}");
        }
    }

    #[test]
    fn white_space_is_trimmed_and_folded_as_std_does() {
        let texts =
            ["", " ", "a", " a ", "\t a b \n", "a  b\u{3000}c\u{a0}", "\u{2003}日本 語\u{2003}", "x\r\ny", "  \u{85}"];
        for text in texts {
            assert_eq!(trim_white(text), text.trim(), "{text:?}");
            assert_eq!(fold_white(text), text.split_whitespace().collect::<Vec<_>>().join(" "), "{text:?}");
        }
    }
}
