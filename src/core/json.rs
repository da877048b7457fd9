//! A read-only view of a parsed JSON value, so the core can check and read
//! Graph answers without choosing who parsed them.
//!
//! In the wasm build the engine's own `JSON.parse` parses a body and the
//! facade implements [`Json`] over the resulting JS objects, which go back to
//! the caller untouched (no copy into wasm memory and out again); natively,
//! and in the core's tests, [`serde_json::Value`] implements it.

use crate::prelude::*;

use super::secrets::BodyText;

/// A parsed JSON value the core can look into.
pub trait Json: Sized {
    /// A body as the transport received it, before it is parsed.
    type Text: BodyText;
    /// Parses a body as received.
    fn parse_text(text: &Self::Text) -> Option<Self>;
    /// Parses JSON text (a header value, a batch item's body).
    fn parse(text: &str) -> Option<Self>;
    /// The member `key` of an object; `None` when this is not an object,
    /// or has no such member, or the member is `null` (the Graph's `null`
    /// reads as absent everywhere the core looks).
    fn get(&self, key: &str) -> Option<Self>;
    /// The length, when this is an array.
    fn array_len(&self) -> Option<usize>;
    /// The element at `index` of an array; `None` past its end and for a
    /// `null` element.
    fn at(&self, index: usize) -> Option<Self>;
    /// The value, when this is a string.
    fn string(&self) -> Option<String>;
    /// The value, when this is a number.
    fn number(&self) -> Option<f64>;
    /// The number's own text (as its parser or engine writes it), when
    /// this is a number: what a number kept as text is read from, so that
    /// no float needs formatting. `None` where there is none (then a
    /// reader falls back on [`Json::number`]).
    fn number_text(&self) -> Option<String> {
        None
    }
    /// The value, when this is a boolean.
    fn boolean(&self) -> Option<bool>;
    /// Whether this is an object (not an array, not null).
    fn is_object(&self) -> bool;
    /// Whether this is `null`.
    fn is_null(&self) -> bool;
    /// The members of an object, in order; empty for anything else.
    fn entries(&self) -> Vec<(String, Self)>;
    /// Whether this is a string; cheaper than [`Json::string`] where the
    /// value lives outside Rust.
    fn is_string(&self) -> bool {
        self.string().is_some()
    }

    /// `null`.
    fn null() -> Self;
    /// A boolean.
    fn from_bool(value: bool) -> Self;
    /// A number.
    fn from_f64(value: f64) -> Self;
    /// A string.
    fn from_str(value: &str) -> Self;
    /// An array of `items`.
    fn from_array(items: Vec<Self>) -> Self;
    /// An empty object.
    fn new_object() -> Self;
    /// Sets member `key` of an object this call built.
    fn set_member(&mut self, key: &str, value: Self);
}

/// The string member `key` of `value`, if it is one.
pub fn str_member<J: Json>(value: &J, key: &str) -> Option<String> {
    value.get(key).and_then(|v| v.string())
}

/// The integer member `key` of `value`, if it is a whole number.
pub fn int_member<J: Json>(value: &J, key: &str) -> Option<i64> {
    let n = value.get(key)?.number()?;
    (n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15).then_some(n as i64)
}

// The host's JSON (the native client and the tests); the wasm build reads JS values.
#[cfg(not(target_arch = "wasm32"))]
impl Json for serde_json::Value {
    type Text = String;
    fn parse_text(text: &String) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
    fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn array_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn at(&self, index: usize) -> Option<Self> {
        self.as_array()?.get(index).filter(|v| !v.is_null()).cloned()
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn number_text(&self) -> Option<String> {
        self.as_number().map(ToString::to_string)
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn is_null(&self) -> bool {
        self.is_null()
    }
    fn entries(&self) -> Vec<(String, Self)> {
        self.as_object().map_or_else(Vec::new, |o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
    fn null() -> Self {
        Self::Null
    }
    fn from_bool(value: bool) -> Self {
        Self::Bool(value)
    }
    fn from_f64(value: f64) -> Self {
        // Whole numbers as integers, as JSON.parse and JSON.stringify see them.
        if value.fract() == 0.0 && value.abs() < 9.007_199_254_740_992e15 {
            return Self::Number((value as i64).into());
        }
        serde_json::Number::from_f64(value).map_or(Self::Null, Self::Number)
    }
    fn from_str(value: &str) -> Self {
        Self::String(value.to_owned())
    }
    fn from_array(items: Vec<Self>) -> Self {
        Self::Array(items)
    }
    fn new_object() -> Self {
        Self::Object(serde_json::Map::new())
    }
    fn set_member(&mut self, key: &str, value: Self) {
        if let Some(object) = self.as_object_mut() {
            object.insert(key.to_owned(), value);
        }
    }
}
