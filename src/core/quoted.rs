//! [`quoted`]: a value in quotes for an error message, as `{:?}` writes
//! it for ordinary text.
//!
//! `{:?}` on a `str` or `char` links Rust's `Debug` escaping and its
//! Unicode printability tables (some 4 KB of wasm) for what is, in this
//! crate, only ever quoting a caller's word in a message. This writes the
//! same text for everything but exotic invisible characters, which it
//! leaves as they are instead of writing them `\u{…}`.

use crate::prelude::*;

/// `text` in double quotes, with `"` and `\` escaped and control
/// characters written as `\n`, `\r`, `\t` or `\u{…}`.
pub fn quoted(text: &str) -> String {
    quote(text.chars(), '"')
}

/// `c` in single quotes, escaped as [`quoted`] escapes.
pub fn quoted_char(c: char) -> String {
    quote(::core::iter::once(c), '\'')
}

fn quote(chars: impl Iterator<Item = char>, mark: char) -> String {
    let mut out = String::new();
    out.push(mark);
    for c in chars {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c == mark => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                out.push_str("\\u{");
                let hex = b"0123456789abcdef";
                let code = c as u32;
                let mut shift = 28;
                while shift > 0 && (code >> shift) & 0xf == 0 {
                    shift -= 4;
                }
                loop {
                    out.push(char::from(hex[((code >> shift) & 0xf) as usize]));
                    if shift == 0 {
                        break;
                    }
                    shift -= 4;
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push(mark);
    out
}

/// `parts` with `separator` between them, as `[&str]::join` writes them.
///
/// A loop instead of `join`, whose generic is 1 KB of wasm per element
/// type; over a slice rather than a `dyn Iterator`, whose vtables keep
/// every iterator method they name (`nth`, `size_hint`, …) in the wasm.
/// The lists joined here (field names, option names) are short.
pub fn joined<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

/// How many characters (Unicode scalar values) `text` has: its bytes
/// that start one. A loop of a few bytes of wasm, where `chars().count()`
/// links std's word-at-a-time counter (0.9 KB) for the two texts counted.
pub fn char_count(text: &str) -> usize {
    let mut count = 0;
    for byte in text.bytes() {
        if byte & 0xC0 != 0x80 {
            count += 1;
        }
    }
    count
}

/// The first `max_chars` characters of `text` (all of it when shorter): a
/// slice, not `chars().take(n).collect()`, which is its own wasm code per
/// iterator shape.
pub fn first_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

/// Where `needle` first stands in `text`, as `str::find` with a `&str`
/// finds it (an empty needle stands at 0).
///
/// A plain byte-window search instead of a `&str` pattern, whose two-way
/// searcher is some 2.5 KB of wasm, for the short texts searched here. A
/// match of whole UTF-8 sequences in UTF-8 text starts and ends on character
/// boundaries, so the offset is the one `find` gives.
pub fn find_text(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    // The first byte first: most windows end there, without a comparison
    // of the whole window.
    let first = needle.as_bytes().first();
    text.as_bytes().windows(needle.len()).position(|window| window.first() == first && window == needle.as_bytes())
}

/// Whether `needle` stands in `text`, as `str::contains` with a `&str`
/// answers (see [`find_text`]).
pub fn contains_text(text: &str, needle: &str) -> bool {
    find_text(text, needle).is_some()
}

/// `text` with every `from` replaced by `to`, left to right and without
/// overlaps, as `str::replace` with a `&str` writes it (see [`find_text`]);
/// an empty `from` stands before every character and at the end.
pub fn replaced(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if from.is_empty() {
        for c in text.chars() {
            out.push_str(to);
            out.push(c);
        }
        out.push_str(to);
        return out;
    }
    let mut rest = text;
    while let Some(at) = find_text(rest, from) {
        let (Some(head), Some(tail)) = (rest.get(..at), rest.get(at + from.len()..)) else { break };
        out.push_str(head);
        out.push_str(to);
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{contains_text, find_text, first_chars, joined, replaced};

    #[test]
    fn first_chars_cuts_where_take_cuts() {
        for text in ["", "abc", "héllo wörld", "日本語のテキスト", "exactly16chars!!"] {
            for n in [0, 1, 3, 16, 100] {
                assert_eq!(first_chars(text, n), text.chars().take(n).collect::<String>());
            }
        }
    }

    #[test]
    fn joined_writes_what_join_writes() {
        for parts in [&[][..], &["a"], &["a", "b"], &["", "a", ""], &["id", "updated_time", "snippet"]] {
            assert_eq!(joined(parts, ","), parts.join(","));
            assert_eq!(joined(parts, ", "), parts.join(", "));
        }
    }

    #[test]
    fn text_search_finds_what_str_finds() {
        let texts = ["", "a", "aaa", "abcabc", "héllo wörld", "日本語のテキスト", "token=EAAB..&x=EAAB", "[redacted]"];
        let needles = ["", "a", "aa", "abc", "ö", "wör", "テキ", "EAAB", "..", "x", "日本語のテキストと"];
        for text in texts {
            for needle in needles {
                assert_eq!(find_text(text, needle), text.find(needle), "{text:?} {needle:?}");
                assert_eq!(contains_text(text, needle), text.contains(needle), "{text:?} {needle:?}");
                for to in ["", "-", "[redacted]"] {
                    assert_eq!(replaced(text, needle, to), text.replace(needle, to), "{text:?} {needle:?} {to:?}");
                }
            }
        }
    }
}
