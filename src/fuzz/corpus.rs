//! The fuzzer's seeds: the JSON fixtures of `tests/fixtures/` and the
//! webhook bodies of `tests/fixtures/webhooks/`, and dictionaries of keys,
//! numbers, strings and tokens that mutations splice in.

#![allow(clippy::wildcard_imports)]

use super::prelude::*;

// ---------------------------------------------------------------------------
// Seeds and dictionaries
// ---------------------------------------------------------------------------

/// Keys the core looks at, and some it must ignore.
#[rustfmt::skip]
pub(super) const KEYS: &[&str] = &[
    "data", "paging", "cursors", "after", "before", "next", "previous", "id", "error", "message", "type", "code",
    "error_subcode", "error_user_title", "error_user_msg", "fbtrace_id", "is_transient", "messages", "body",
    "headers", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access", "100200300400500",
    "participants", "attachments", "from", "to", "", "__proto__", "constructor", "\u{0}", "é",
    // Webhooks.
    "object", "entry", "messaging", "standby", "changes", "value", "field", "time", "sender", "recipient",
    "timestamp", "mid", "text", "is_echo", "is_deleted", "is_unsupported", "message_edit", "num_edit", "reaction",
    "action", "emoji", "read", "watermark", "delivery", "mids", "postback", "referral", "payload", "url",
    "sticker_id", "reply_to", "story", "quick_reply", "metadata", "app_id",
];

/// Number literals, as JSON text: huge, tiny, negative zero, past 2^53,
/// past u64, out of f64's range.
#[rustfmt::skip]
pub(super) const NUMBERS: &[&str] = &[
    "0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "1e-320", "1e999", "-1e999", "4.9e-324", "9007199254740991",
    "9007199254740992", "9007199254740993", "-9007199254740993", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "123456789012345678901234567890", "613", "80006", "9000001", "190", "1.0", "3", "100", "-5", "65535", "65536",
    "200", "400", "500", "0e0", "1E+2",
];

/// Odd strings: empty, control and format characters, bidi overrides,
/// astral planes, combining marks, escapes, HTML, long runs.
pub(super) const STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "\u{7f}",
    "\u{FEFF}",
    "\u{202E}gnirts",
    "\u{2028}\u{2029}",
    "e\u{301}\u{301}\u{301}",
    "👩‍👩‍👧‍👦",
    "\u{10FFFF}",
    "漢字かな",
    "\\",
    "\"",
    "\\u0000",
    "<html><body>502</body></html>",
    "<script>alert(1)</script>",
    "../../x",
    "/v1.0/me?fields=id#x",
    "https://graph.facebook.com/v21.0/100200300400500/conversations?after=QVFI&limit=25",
    "QVFIUmlMekhKeEtrN2xr",
    "A",
    "B",
    "C",
    "Please reduce the amount of data you're asking for, then retry your request",
    "OAuthException",
    "messenger",
    "instagram",
    "null",
    "true",
    "0",
    "-1",
    "7",
    " 7 ",
    "18446744073709551616",
    "1e3",
    "\u{663}",
    "text/html",
    "application/json; charset=UTF-8",
];

/// Byte strings spliced into raw text.
#[rustfmt::skip]
pub(super) const TOKENS: &[&str] = &[
    "null", "true", "false", "{}", "[]", "{", "}", "[", "]", ",", ":", "\"", "\\", "\"error\":", "\"data\":",
    "\"paging\":", "\"cursors\":", "\"after\":", "\"next\":", "\"id\":", "\"code\":", "\"is_transient\":", "\\ud800",
    "\\udc00", "\\ud83d\\ude00", "\\u0000", "\u{FEFF}", "\r\n", "<", ">", "<!--", "1e999", "-0",
    "18446744073709551616", "NaN", "Infinity", "\u{0}",
];

/// The JSON files of `tests/fixtures/<folder>`, by name.
fn fixtures(folder: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    names.sort();
    names.iter().map(|path| std::fs::read(path).expect("a fixture")).collect()
}

pub(super) struct Corpus {
    /// Raw fixture bodies, and the bodies inside `batch_response.json`.
    pub(super) seeds: Vec<Vec<u8>>,
    /// The seeds that parse, for structure-aware mutation and splicing.
    pub(super) values: Vec<Value>,
    /// Header values seen in fixtures.
    pub(super) headers: Vec<String>,
    /// The webhook bodies, as Meta sends them (escaped unicode and all).
    pub(super) webhooks: Vec<Vec<u8>>,
    /// The same, parsed.
    pub(super) webhook_values: Vec<Value>,
}

impl Corpus {
    pub(super) fn load() -> Self {
        let mut seeds = fixtures("");
        let mut headers = vec!["7".to_owned(), "0".into(), "text/html".into(), "application/json".into()];
        let values: Vec<Value> = seeds.iter().filter_map(|s| serde_json::from_slice(s).ok()).collect();
        for value in &values {
            // Usage header values, and the JSON strings of batch item bodies.
            for (name, text) in value.as_object().into_iter().flatten() {
                if name.starts_with("x-") {
                    headers.extend(text.as_str().map(str::to_owned));
                }
            }
            for item in value.as_array().into_iter().flatten() {
                seeds.extend(item.get("body").and_then(Value::as_str).map(|b| b.as_bytes().to_vec()));
            }
        }
        seeds.extend(
            [
                r#"{"data":[]}"#,
                r#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"A"},"next":"n"}}"#,
                r#"{"error":{}}"#,
                r#"{"error":null}"#,
                r#"{"error":{"message":"x","code":4,"is_transient":true}}"#,
                "[]",
                "null",
                "\"\"",
                "",
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                r#"[{"code":200,"body":"{\"id\":\"m_1\"}"},null,{"code":"200","body":{}}]"#,
            ]
            .map(|s| s.as_bytes().to_vec()),
        );
        let webhooks = fixtures("webhooks");
        let webhook_values: Vec<Value> =
            webhooks.iter().map(|s| serde_json::from_slice(s).expect("a webhook fixture parses")).collect();
        // Every target may meet a webhook's shapes.
        seeds.extend(webhooks.iter().cloned());
        let values = seeds.iter().filter_map(|s| serde_json::from_slice(s).ok()).collect();
        Self { seeds, values, headers, webhooks, webhook_values }
    }
}
