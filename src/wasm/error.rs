//! [`Error`] → a JS `GraphError` (a real `Error` subclass, defined in
//! `js/graph_error.js` and shipped beside the glue code).

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::error::Error;

#[wasm_bindgen(raw_module = "./graph_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = GraphError)]
    type JsGraphError;

    #[wasm_bindgen(constructor, js_class = "GraphError")]
    fn new(message: &str, fields: &Object) -> JsGraphError;
}

/// The `GraphError` that JS sees for `error`. Its message and fields come
/// from an already redacted error.
pub fn to_js(error: &Error) -> JsValue {
    let fields = Object::new();
    let set = |key: &str, value: JsValue| {
        // Setting a plain data property on a fresh object cannot fail.
        let _ = Reflect::set(&fields, &JsValue::from_str(key), &value);
    };
    set("kind", error.kind().as_str().into());
    set("transient", error.transient().into());
    if let Some(status) = error.status() {
        set("status", status.into());
    }
    if let Some(attempts) = error.attempts() {
        set("attempts", attempts.into());
    }
    if let Some(ms) = error.retry_after_ms() {
        set("retryAfterMs", (ms as f64).into());
    }
    if let Some(graph) = error.graph() {
        let text = |value: &Option<String>| value.as_deref().map(JsValue::from_str);
        let number = |value: Option<i64>| value.map(|n| JsValue::from_f64(n as f64));
        for (key, value) in [
            ("code", number(graph.code)),
            ("subcode", number(graph.subcode)),
            ("type", text(&graph.error_type)),
            ("fbtraceId", text(&graph.fbtrace_id)),
            ("userTitle", text(&graph.user_title)),
            ("userMessage", text(&graph.user_message)),
        ] {
            if let Some(value) = value {
                set(key, value);
            }
        }
    }
    JsGraphError::new(&error.to_string(), &fields).into()
}
