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
