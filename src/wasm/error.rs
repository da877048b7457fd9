//! [`Error`] → a JS `GraphError` (a real `Error` subclass, defined in
//! `js/graph_error.js` and shipped beside the glue code).

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::error::{Error, FieldValue};

#[wasm_bindgen(raw_module = "./graph_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = GraphError)]
    type JsGraphError;

    #[wasm_bindgen(constructor, js_class = "GraphError")]
    fn new(message: &str, fields: &Object) -> JsGraphError;
}

/// The `GraphError` that JS sees for `error`: its `Display` as the message
/// and the properties of [`Error::fields`]. The error comes from the client
/// already redacted.
pub fn to_js(error: &Error) -> JsValue {
    let fields = Object::new();
    for (key, value) in error.fields() {
        let value = match value {
            FieldValue::Text(text) => JsValue::from_str(text),
            FieldValue::Number(n) => JsValue::from_f64(n),
            FieldValue::Bool(b) => JsValue::from_bool(b),
        };
        // Setting a plain data property on a fresh object cannot fail.
        let _ = Reflect::set(&fields, &JsValue::from_str(key), &value);
    }
    JsGraphError::new(&error.message(), &fields).into()
}
