//! Numbers written as a path's `d` has them: `format!("{:.*}", decimals, v)`, character for
//! character, without going through `core::fmt`.
//!
//! A first frame writes every outline vertex of its level of detail as text for the canvas's
//! `Path2D` (Liaoning: ≈ 25 thousand numbers). `core::fmt`'s float formatting (Grisu with a
//! Dragon fallback, padding, a `Formatter` per number) was a third of the frame's border and
//! fill paths on a page's first load, when V8 runs new wasm in its baseline tier (issue 13).
//! A float scaled to an integer and its digits written out is the same text for all but
//! values within rounding error of a tie, which are left to `core::fmt`.

use std::fmt::Write;

/// Scales for the decimals a path uses; more go through `core::fmt`.
const SCALE: [f64; 7] = [1.0, 10.0, 1e2, 1e3, 1e4, 1e5, 1e6];

/// Appends `v` with `decimals` digits after the point, as `write!(out, "{:.*}", decimals, v)`
/// would (the sign of -0.0 and of negatives that round to 0 included).
pub(super) fn push_fixed(out: &mut String, v: f64, decimals: usize) {
    let scaled = match SCALE.get(decimals) {
        Some(s) => v.abs() * s,
        None => f64::NAN,
    };
    let whole = scaled.floor();
    let fraction = scaled - whole;
    // Below 10^15 every integer and its neighbours are exact (NaN and infinities fail here
    // too). The product may have rounded onto or across a tie that `core::fmt`, which rounds
    // the exact binary value, decides otherwise: near one, its answer is taken.
    if scaled.is_nan() || scaled >= 1e15 || (fraction - 0.5).abs() <= scaled * 4e-16 {
        let _ = write!(out, "{:.*}", decimals, v);
        return;
    }
    let mut n = whole as u64 + u64::from(fraction > 0.5);
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    let digit = |buf: &mut [u8; 24], at: &mut usize, n: &mut u64| {
        *at -= 1;
        buf[*at] = b'0' + (*n % 10) as u8;
        *n /= 10;
    };
    for _ in 0..decimals {
        digit(&mut buf, &mut at, &mut n);
    }
    if decimals > 0 {
        at -= 1;
        buf[at] = b'.';
    }
    loop {
        digit(&mut buf, &mut at, &mut n);
        if n == 0 {
            break;
        }
    }
    if v.is_sign_negative() {
        at -= 1;
        buf[at] = b'-';
    }
    if let Ok(s) = std::str::from_utf8(&buf[at..]) {
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::push_fixed;

    fn fixed(v: f64, decimals: usize) -> String {
        let mut s = String::new();
        push_fixed(&mut s, v, decimals);
        s
    }

    /// `core::fmt` is the oracle: random values of every size a map has, many of them on or
    /// next to a tie (x.xx5, multiples of 1/8), where a scaled product rounds differently.
    #[test]
    fn writes_what_core_fmt_writes() {
        let mut x: u64 = 0x1234_5678_9abc_def1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut fallbacks = 0;
        for round in 0..300_000u64 {
            let size = [1.0, 10.0, 1000.0, 1e5, 1e7][(next() % 5) as usize];
            let unit = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let mut v = (unit - 0.5) * 2.0 * size;
            if round % 3 == 0 {
                v = (v * 1000.0).round() / 1000.0 + if round % 2 == 0 { 0.005 } else { 0.0 };
            }
            if round % 7 == 0 {
                v = (v * 8.0).round() / 8.0;
            }
            for decimals in 0..4 {
                assert_eq!(fixed(v, decimals), format!("{:.*}", decimals, v), "{v:?}");
                fallbacks += usize::from(v.abs() * 10f64.powi(decimals as i32) % 1.0 == 0.5);
            }
        }
        // The ties were there to be met.
        assert!(fallbacks > 1000, "{fallbacks}");
    }

    #[test]
    fn edge_values_match_core_fmt() {
        for v in [
            0.0,
            -0.0,
            -0.001,
            0.004,
            0.125,
            2.5,
            -2.5,
            1e20,
            -1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            999.9999,
        ] {
            for decimals in 0..9 {
                assert_eq!(
                    fixed(v, decimals),
                    format!("{:.*}", decimals, v),
                    "{v:?} {decimals}"
                );
            }
        }
    }
}
