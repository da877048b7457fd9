//! [`Json`] over JS values: the engine's `JSON.parse` parses a body, and the
//! core looks into the result through `Reflect` without copying it into wasm
//! memory. The objects then go back to the caller as they are.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{intern, JsCast, JsValue};

use crate::core::json::Json;

impl Json for JsValue {
    fn parse(text: &str) -> Option<Self> {
        js_sys::JSON::parse(text).ok()
    }

    fn get(&self, key: &str) -> Option<Self> {
        if !JsValue::is_object(self) {
            return None;
        }
        // Keys are few and repeat on every item: intern them so each lookup
        // does not pass a new string into JS.
        let value = Reflect::get(self, &JsValue::from_str(intern(key))).ok()?;
        (!value.is_undefined()).then_some(value)
    }

    fn array_len(&self) -> Option<usize> {
        Array::is_array(self).then(|| self.unchecked_ref::<Array>().length() as usize)
    }

    fn at(&self, index: usize) -> Option<Self> {
        let index = u32::try_from(index).ok()?;
        let value = self.dyn_ref::<Array>()?.get(index);
        (!value.is_undefined()).then_some(value)
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
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
        Object::entries(self.unchecked_ref())
            .iter()
            .filter_map(|pair| {
                let pair: Array = pair.dyn_into().ok()?;
                Some((pair.get(0).as_string()?, pair.get(1)))
            })
            .collect()
    }

    fn is_string(&self) -> bool {
        JsValue::is_string(self)
    }
}
