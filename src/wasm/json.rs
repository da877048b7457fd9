//! [`Json`] over JS values: the engine's `JSON.parse` parses a body, and the
//! core looks into the result through `Reflect` without copying it into wasm
//! memory. The objects then go back to the caller as they are.

use crate::prelude::*;

use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::keys::key;

use crate::core::json::Json;
use crate::core::secrets::BodyText;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen::prelude::wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// `target[name]` when `target` is an object and the member is
    /// neither missing nor null (nor a getter that throws), else
    /// `undefined`: one crossing into JS, where a check of `target`,
    /// `Reflect.get` and a check of the result were three.
    #[wasm_bindgen(js_name = member)]
    fn member_or_undefined(target: &JsValue, name: &JsValue) -> JsValue;
    /// `target[index]` when `target` is an array and the element is
    /// neither missing nor null, else `undefined`.
    #[wasm_bindgen(js_name = element)]
    fn element_or_undefined(target: &JsValue, index: u32) -> JsValue;
}

/// What `member` found. Returned as a plain JS value (`undefined` for
/// none), which wasm-bindgen hands over as it is: an `Option` would have
/// the glue call back into wasm and fill its table slot from JS for every
/// value found, and still ask JS whether it is `undefined`.
fn member(target: &JsValue, name: &JsValue) -> Option<JsValue> {
    Some(member_or_undefined(target, name)).filter(|value| !value.is_undefined())
}

/// What `element` found (as [`member`]).
fn element(target: &JsValue, index: u32) -> Option<JsValue> {
    Some(element_or_undefined(target, index)).filter(|value| !value.is_undefined())
}

/// A body as a JS string: the engine searches and replaces it, and copies
/// it into wasm memory only to quote the start of one that is not JSON.
impl BodyText for JsValue {
    fn contains(&self, needle: &str) -> bool {
        self.dyn_ref::<JsString>().is_some_and(|text| text.includes(needle, 0))
    }

    fn replace_all(&self, from: &str, to: &str) -> Self {
        match self.dyn_ref::<JsString>() {
            Some(text) => text.replace_all(from, to).into(),
            None => self.clone(),
        }
    }

    fn start(&self, max_chars: usize) -> String {
        let end = u32::try_from(max_chars).unwrap_or(u32::MAX);
        self.dyn_ref::<JsString>().map(|text| String::from(text.slice(0, end))).unwrap_or_default()
    }
}

impl Json for JsValue {
    /// A JS string, as `Response.text()` gave it.
    type Text = JsValue;

    fn parse_text(text: &JsValue) -> Option<Self> {
        json_parse(text).ok()
    }

    fn parse(text: &str) -> Option<Self> {
        js_sys::JSON::parse(text).ok()
    }

    fn get(&self, name: &str) -> Option<Self> {
        // Keys are few and repeat on every item: each is made once.
        member(self, &key(name))
    }

    fn array_len(&self) -> Option<usize> {
        Array::is_array(self).then(|| self.unchecked_ref::<Array>().length() as usize)
    }

    fn at(&self, index: usize) -> Option<Self> {
        element(self, u32::try_from(index).ok()?)
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn number_text(&self) -> Option<String> {
        // The engine's own shortest form, as `JSON.stringify` writes it.
        self.as_f64()?;
        js_sys::Number::unchecked_from_js_ref(self).to_string_with_radix(10).ok().map(String::from)
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !Array::is_array(self)
    }

    fn is_null(&self) -> bool {
        JsValue::is_null(self)
    }

    fn entries(&self) -> Vec<(String, Self)> {
        if !Json::is_object(self) {
            return Vec::new();
        }
        let pairs = Object::entries(self.unchecked_ref());
        let mut entries = Vec::with_capacity(pairs.length() as usize);
        for pair in pairs.iter() {
            let Ok(pair) = pair.dyn_into::<Array>() else { continue };
            if let Some(key) = pair.get(0).as_string() {
                entries.push((key, pair.get(1)));
            }
        }
        entries
    }

    fn is_string(&self) -> bool {
        JsValue::is_string(self)
    }

    fn null() -> Self {
        JsValue::NULL
    }

    fn from_bool(value: bool) -> Self {
        JsValue::from_bool(value)
    }

    fn from_f64(value: f64) -> Self {
        JsValue::from_f64(value)
    }

    fn from_str(value: &str) -> Self {
        JsValue::from_str(value)
    }

    fn from_array(items: Vec<Self>) -> Self {
        js_array(items).into()
    }

    fn new_object() -> Self {
        Object::new().into()
    }

    fn set_member(&mut self, name: &str, value: Self) {
        let _ = Reflect::set(self, &key(name), &value);
    }
}

/// `items` as a JS array: a loop, not `collect::<Array>()`, which is its own
/// wasm code per iterator shape.
pub(crate) fn js_array(items: Vec<JsValue>) -> Array {
    let array = Array::new_with_length(items.len() as u32);
    for (i, item) in items.into_iter().enumerate() {
        array.set(i as u32, item);
    }
    array
}

/// `items` as a JS array of strings: one loop for every list of ids (not a
/// `Vec<String>` return, whose conversion is its own wasm code).
pub(crate) fn js_strings(items: &[String]) -> Array {
    let array = Array::new_with_length(items.len() as u32);
    for (i, item) in items.iter().enumerate() {
        array.set(i as u32, JsValue::from_str(item));
    }
    array
}
