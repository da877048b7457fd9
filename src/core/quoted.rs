//! [`quoted`]: a value in quotes for an error message, as `{:?}` writes
//! it for ordinary text.
//!
//! `{:?}` on a `str` or `char` links Rust's `Debug` escaping and its
//! Unicode printability tables (some 4 KB of wasm) for what is, in this
//! crate, only ever quoting a caller's word in a message. This writes the
//! same text for everything but exotic invisible characters, which it
//! leaves as they are instead of writing them `\u{…}`.

/// `text` in double quotes, with `"` and `\` escaped and control
/// characters written as `\n`, `\r`, `\t` or `\u{…}`.
pub fn quoted(text: &str) -> String {
    quote(text.chars(), '"')
}

/// `c` in single quotes, escaped as [`quoted`] escapes.
pub fn quoted_char(c: char) -> String {
    quote(std::iter::once(c), '\'')
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
/// One function behind a `dyn` iterator instead of `join` on slices: each
/// element type of `join` is its own copy of a 1 KB generic in the wasm, and
/// the lists joined here (field names, option names, words of a snippet) are
/// short.
pub fn joined(parts: &mut dyn Iterator<Item = &str>, separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// The first `max_chars` characters of `text` (all of it when shorter): a
/// slice, not `chars().take(n).collect()`, which is its own wasm code per
/// iterator shape.
pub fn first_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::{first_chars, joined};

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
            assert_eq!(joined(&mut parts.iter().copied(), ","), parts.join(","));
            assert_eq!(joined(&mut parts.iter().copied(), ", "), parts.join(", "));
        }
    }
}
