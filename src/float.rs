//! `f64` rounding without `std`: the wasm build's `core` has none (its
//! `f64::floor` and friends are `std`'s). Whole values from a cast to
//! `i64`, which is exact below 2^52; from there on every `f64` is whole.
//! A property test holds each to `std`'s on the host.

/// Every `f64` from this magnitude on is a whole number (2^52).
const ALL_WHOLE: f64 = 4_503_599_627_370_496.0;

/// `x` with its fraction dropped (toward zero); NaN and the infinities as
/// they are.
pub fn trunc(x: f64) -> f64 {
    if x.abs() < ALL_WHOLE {
        (x as i64) as f64
    } else {
        x
    }
}

/// `x` rounded toward minus infinity.
pub fn floor(x: f64) -> f64 {
    let whole = trunc(x);
    if whole > x {
        whole - 1.0
    } else {
        whole
    }
}

/// The whole number nearest `x`, half away from zero.
pub fn round(x: f64) -> f64 {
    let whole = trunc(x);
    let rest = x - whole;
    if rest >= 0.5 {
        whole + 1.0
    } else if rest <= -0.5 {
        whole - 1.0
    } else {
        whole
    }
}
