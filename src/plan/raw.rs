//! Typed reading of one JSON value at a time, with planmap's caps checked as the bytes are
//! read: a feature's geometry straight into a compact token list of numbers (no
//! `serde_json::Value` per coordinate), its `type`, `id` and `properties` as small values,
//! everything else skipped (still counted against the caps, duplicate keys still found).
//!
//! The reader ([`super::reader`]) hands serde_json one value at a time (a member of the root
//! object, or one element of its `features` array); the visitors here share the caps' counters
//! through [`STATE`], which the reader swaps in for the duration of each value.

use super::json::{MAX_DEPTH, MAX_FEATURES, MAX_NUMBERS, MAX_STRING_BYTES};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashSet;

/// Marks a cap error among serde_json's messages.
pub(crate) const CAP: &str = "planmap cap: ";
/// Marks nesting past [`MAX_DEPTH`] found by planmap's own count (serde_json's own limit
/// says "recursion limit exceeded").
pub(crate) const DEPTH: &str = "planmap depth";

/// What a number written beyond ±1.8e308 (`1e999`) reads as: a marker string of the same
/// byte length, so the rest of the file still loads and the feature holding it is skipped
/// with a message (JSON.parse reads Infinity; serde_json refuses the whole file).
pub(crate) const OVERFLOW: [&str; 2] = ["\u{E000}", "\u{E001}"];

/// The kind of an overflowing number, as messages name it.
pub(crate) const OVERFLOW_KIND: &str = "a number beyond ±1.8e308";

/// The counters and the position of one file's reading.
#[derive(Debug)]
pub(crate) struct State {
    /// Numbers read so far (the number cap).
    pub(crate) numbers: usize,
    /// Where the reader is: keys and indices from the root.
    pub(crate) path: Vec<Seg>,
    /// Paths of duplicate keys, in the order their second value ended (at most 1000).
    pub(crate) duplicates: Vec<String>,
    /// Containers enclosing the value being read (the depth cap).
    pub(crate) depth: usize,
    /// What the next value is read as.
    pub(crate) what: What,
}

impl Default for State {
    fn default() -> Self {
        State {
            numbers: 0,
            path: Vec::new(),
            duplicates: Vec::new(),
            depth: 0,
            what: What::Value,
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// `features[3].geometry.coordinates[0]`.
pub(crate) fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

thread_local! {
    /// The state of the file being read, swapped in by the reader around each value (serde's
    /// `Deserialize` has no room for it, and the stream deserializer needs a `Deserialize`).
    pub(crate) static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Runs `f` with `state` as the current [`STATE`].
pub(crate) fn with_state<R>(state: &mut State, f: impl FnOnce() -> R) -> R {
    STATE.with(|s| std::mem::swap(&mut *s.borrow_mut(), state));
    let r = f();
    STATE.with(|s| std::mem::swap(&mut *s.borrow_mut(), state));
    r
}

type St<'a> = &'a RefCell<State>;

fn number<E: de::Error>(st: St) -> Result<(), E> {
    let mut s = st.borrow_mut();
    s.numbers += 1;
    if s.numbers > MAX_NUMBERS {
        return Err(E::custom(format!(
            "{CAP}more than {MAX_NUMBERS} numbers; planmap reads at most {MAX_NUMBERS} per file (about {} positions: the vertex cap)",
            MAX_NUMBERS / 2
        )));
    }
    Ok(())
}

fn string<E: de::Error>(st: St, s: &str) -> Result<(), E> {
    if s.len() > MAX_STRING_BYTES {
        let at = path_string(&st.borrow().path);
        let at = if at.is_empty() {
            String::new()
        } else {
            format!("{at}: ")
        };
        return Err(E::custom(format!(
            "{CAP}{at}a string of {} bytes; planmap reads strings of at most {} KB (the string cap)",
            s.len(),
            MAX_STRING_BYTES / 1024
        )));
    }
    Ok(())
}

/// The message of an array holding more than [`MAX_FEATURES`] elements, at the current path.
pub(crate) fn too_many(path: &[Seg]) -> String {
    let at = path_string(path);
    let what = if at.ends_with("features") {
        "features"
    } else {
        "elements in one array"
    };
    format!(
        "{CAP}{}more than {MAX_FEATURES} {what}; planmap reads at most {MAX_FEATURES} (the feature cap)",
        if at.is_empty() {
            String::new()
        } else {
            format!("{at}: ")
        }
    )
}

/// Enters a container: the depth cap. Returns the depth to restore.
fn enter<E: de::Error>(st: St) -> Result<usize, E> {
    let mut s = st.borrow_mut();
    let d = s.depth;
    if d + 1 >= MAX_DEPTH {
        return Err(E::custom(DEPTH));
    }
    s.depth = d + 1;
    Ok(d)
}

fn leave(st: St, d: usize) {
    st.borrow_mut().depth = d;
}

fn overflow_kind(s: &str) -> Option<usize> {
    OVERFLOW.iter().position(|m| *m == s)
}

/// Reads the elements of an array with `each(seq)` (`Ok(false)` at its end), keeping the
/// path, the depth and the element caps.
///
/// `each` is a trait object so that one copy of this loop serves every kind of array (a
/// generic closure made one per kind in the wasm, for no speed that matters: the common
/// feature's coordinates are read by [`super::fast`]).
fn elements<'de, A: SeqAccess<'de>>(
    st: St,
    seq: &mut A,
    each: &mut dyn FnMut(&mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    let d = enter::<A::Error>(st)?;
    let mut n = 0;
    // One path step for the array, moved along its elements (no push and pop per number).
    st.borrow_mut().path.push(Seg::Index(0));
    let r = loop {
        if let Some(last) = st.borrow_mut().path.last_mut() {
            *last = Seg::Index(n);
        }
        match each(seq) {
            Err(e) => break Err(e),
            Ok(false) => break Ok(()),
            Ok(true) => {}
        }
        if n >= MAX_FEATURES {
            let mut s = st.borrow_mut();
            s.path.pop();
            let e = de::Error::custom(too_many(&s.path));
            s.path.push(Seg::Index(n));
            break Err(e);
        }
        n += 1;
    };
    st.borrow_mut().path.pop();
    leave(st, d);
    r
}

/// What [`members`] calls for each member of an object.
type EachMember<'f, A, E> = dyn FnMut(&str, &mut A) -> Result<(), E> + 'f;

/// Reads the members of an object with `each(key, map)`, keeping the path, the depth, the
/// string cap on keys and the record of duplicate keys (the last value is kept: `each`
/// overwrites).
fn members<'de, A: MapAccess<'de>>(
    st: St,
    map: &mut A,
    each: &mut EachMember<'_, A, A::Error>,
) -> Result<(), A::Error> {
    let d = enter::<A::Error>(st)?;
    let mut seen: HashSet<String> = HashSet::new();
    let r = (|| {
        while let Some(key) = map.next_key_seed(Any {
            st,
            mode: Mode::Key,
        })? {
            let Out::Key(key) = key else {
                unreachable!("keys are read as keys")
            };
            string::<A::Error>(st, &key)?;
            st.borrow_mut().path.push(Seg::Key(key.clone()));
            let r = each(&key, map);
            if r.is_ok() && !seen.insert(key) {
                let mut s = st.borrow_mut();
                if s.duplicates.len() < 1000 {
                    let p = path_string(&s.path);
                    s.duplicates.push(p);
                }
            }
            st.borrow_mut().path.pop();
            r?;
        }
        Ok(())
    })();
    leave(st, d);
    r
}

/// One token of a coordinates value: an array (with the number of tokens of its contents
/// after it), a number, or anything else by its kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Tok {
    Arr(u32),
    Num(f64),
    Other(&'static str),
}

/// A `coordinates` value as tokens, read before the geometry's `type` may be known (members
/// come in any order); `geometry` reads them as positions, lines or rings.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Coords(pub(crate) Vec<Tok>);

/// A geometry object's members that matter, read typed; members are kept as the last value
/// given (as JSON.parse does).
#[derive(Clone, Debug, Default)]
pub(crate) struct GeomObj {
    pub(crate) ty: Option<Value>,
    pub(crate) coordinates: Option<Coords>,
    pub(crate) geometries: Option<GeomList>,
}

/// What a `geometry` member (or a member of `geometries`) holds.
#[derive(Clone, Debug)]
pub(crate) enum RawGeom {
    Null,
    Object(GeomObj),
    /// Anything else, by its kind.
    Other(&'static str),
    /// Already read into shapes (a bare geometry file, checked before it is wrapped).
    Parsed(super::geometry::Shapes),
}

/// A `geometries` member: an array of geometries, or something else by its kind.
#[derive(Clone, Debug)]
pub(crate) enum GeomList {
    Array(Vec<RawGeom>),
    Other(&'static str),
}

/// A feature object's members that matter.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawFeature {
    pub(crate) ty: Option<Value>,
    pub(crate) id: Option<Value>,
    pub(crate) properties: Option<Value>,
    pub(crate) geometry: Option<RawGeom>,
}

/// One element of a `features` array.
#[derive(Clone, Debug)]
pub(crate) enum RawElement {
    Feature(RawFeature),
    /// Not an object: its kind.
    Other(&'static str),
}

/// What a value is read as. One visitor reads them all (serde_json's reader is generic over
/// the visitor: each visitor type would be another copy of it in the wasm).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum What {
    /// An object key.
    Key,
    /// A `serde_json::Value` (properties, manifest members).
    Value,
    /// Checked only; its kind is kept.
    Kind,
    Geom,
    GeomList,
    Coords,
    Element,
}

enum Mode<'b> {
    Key,
    Value { keep: bool },
    Geom,
    GeomList,
    Coords(&'b mut Vec<Tok>),
    Element,
}

/// What a value was read as.
#[derive(Debug)]
pub(crate) enum Out {
    Key(String),
    Value(Value),
    Kind(&'static str),
    Geom(Box<RawGeom>),
    GeomList(Box<GeomList>),
    Coords(Coords),
    Element(Box<RawElement>),
    /// Tokens went to the caller's list.
    Done,
}

struct Any<'a, 'b> {
    st: St<'a>,
    mode: Mode<'b>,
}

impl<'de> DeserializeSeed<'de> for Any<'_, '_> {
    type Value = Out;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Out, D::Error> {
        d.deserialize_any(self)
    }
}

fn val<'a>(st: St<'a>, keep: bool) -> Any<'a, 'static> {
    Any {
        st,
        mode: Mode::Value { keep },
    }
}

fn into_value(o: Out) -> Value {
    match o {
        Out::Value(v) => v,
        _ => Value::Null,
    }
}

impl Any<'_, '_> {
    /// A scalar: as a value, or by its kind (`x` is the number when it is one).
    fn scalar<E: de::Error>(self, v: Value, kind: &'static str, x: Option<f64>) -> Result<Out, E> {
        Ok(match self.mode {
            Mode::Key => Out::Key(v.as_str().unwrap_or_default().to_owned()),
            Mode::Value { .. } => Out::Value(v),
            Mode::Geom if kind == "null" => Out::Geom(Box::new(RawGeom::Null)),
            Mode::Geom => Out::Geom(Box::new(RawGeom::Other(kind))),
            Mode::GeomList => Out::GeomList(Box::new(GeomList::Other(kind))),
            Mode::Coords(out) => {
                out.push(match x {
                    Some(x) => Tok::Num(x),
                    None => Tok::Other(kind),
                });
                Out::Done
            }
            Mode::Element => Out::Element(Box::new(RawElement::Other(kind))),
        })
    }

    fn num<E: de::Error>(self, n: serde_json::Number, x: f64) -> Result<Out, E> {
        number::<E>(self.st)?;
        self.scalar(Value::Number(n), "a number", Some(x))
    }
}

impl<'de> Visitor<'de> for Any<'_, '_> {
    type Value = Out;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Out, E> {
        self.scalar(Value::Bool(v), "a boolean", None)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Out, E> {
        self.num(v.into(), v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Out, E> {
        self.num(v.into(), v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Out, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => self.num(n, v),
            None => {
                let marker = OVERFLOW[usize::from(v < 0.0)].to_owned();
                self.scalar(Value::String(marker), OVERFLOW_KIND, None)
            }
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Out, E> {
        if let Mode::Key = self.mode {
            // Keys are checked by the object reading them, with its path.
            return Ok(Out::Key(v.to_owned()));
        }
        string::<E>(self.st, v)?;
        let kind = if overflow_kind(v).is_some() {
            OVERFLOW_KIND
        } else {
            "a string"
        };
        let keep = matches!(self.mode, Mode::Value { keep: true }) || kind == OVERFLOW_KIND;
        self.scalar(
            Value::String(if keep { v.to_owned() } else { String::new() }),
            kind,
            None,
        )
    }
    fn visit_unit<E: de::Error>(self) -> Result<Out, E> {
        self.scalar(Value::Null, "null", None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Out, E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Out, A::Error> {
        let st = self.st;
        match self.mode {
            Mode::Value { keep } => {
                let mut out = Vec::new();
                elements(
                    st,
                    &mut seq,
                    &mut |seq| match seq.next_element_seed(val(st, keep))? {
                        Some(v) => {
                            if keep {
                                out.push(into_value(v));
                            }
                            Ok(true)
                        }
                        None => Ok(false),
                    },
                )?;
                Ok(Out::Value(Value::Array(out)))
            }
            Mode::GeomList => {
                let mut out = Vec::new();
                elements(st, &mut seq, &mut |seq| match seq.next_element_seed(Any {
                    st,
                    mode: Mode::Geom,
                })? {
                    Some(Out::Geom(g)) => {
                        out.push(*g);
                        Ok(true)
                    }
                    Some(_) => Ok(true),
                    None => Ok(false),
                })?;
                Ok(Out::GeomList(Box::new(GeomList::Array(out))))
            }
            Mode::Coords(out) => {
                let at = out.len();
                out.push(Tok::Arr(0));
                elements(st, &mut seq, &mut |seq| {
                    Ok(seq
                        .next_element_seed(Any {
                            st,
                            mode: Mode::Coords(&mut *out),
                        })?
                        .is_some())
                })?;
                out[at] = Tok::Arr((out.len() - at - 1) as u32);
                Ok(Out::Done)
            }
            mode => {
                val(st, false).visit_seq(seq)?;
                Any { st, mode }.scalar(Value::Null, "an array", None)
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Out, A::Error> {
        let st = self.st;
        match self.mode {
            Mode::Value { keep } => {
                let mut out = Map::new();
                members(st, &mut map, &mut |key, map| {
                    let v = map.next_value_seed(val(st, keep))?;
                    if keep {
                        out.insert(key.to_owned(), into_value(v));
                    }
                    Ok(())
                })?;
                Ok(Out::Value(Value::Object(out)))
            }
            Mode::Geom => {
                let mut g = GeomObj::default();
                members(st, &mut map, &mut |key, map| {
                    match key {
                        "type" => g.ty = Some(into_value(map.next_value_seed(val(st, true))?)),
                        "coordinates" => {
                            let mut out = Vec::new();
                            map.next_value_seed(Any {
                                st,
                                mode: Mode::Coords(&mut out),
                            })?;
                            g.coordinates = Some(Coords(out));
                        }
                        "geometries" => {
                            if let Out::GeomList(l) = map.next_value_seed(Any {
                                st,
                                mode: Mode::GeomList,
                            })? {
                                g.geometries = Some(*l);
                            }
                        }
                        _ => {
                            map.next_value_seed(val(st, false))?;
                        }
                    }
                    Ok(())
                })?;
                Ok(Out::Geom(Box::new(RawGeom::Object(g))))
            }
            Mode::Element => {
                let mut f = RawFeature::default();
                members(st, &mut map, &mut |key, map| {
                    match key {
                        "type" => f.ty = Some(into_value(map.next_value_seed(val(st, true))?)),
                        "id" => f.id = Some(into_value(map.next_value_seed(val(st, true))?)),
                        "properties" => {
                            f.properties = Some(into_value(map.next_value_seed(val(st, true))?))
                        }
                        "geometry" => {
                            if let Out::Geom(g) = map.next_value_seed(Any {
                                st,
                                mode: Mode::Geom,
                            })? {
                                f.geometry = Some(*g);
                            }
                        }
                        _ => {
                            map.next_value_seed(val(st, false))?;
                        }
                    }
                    Ok(())
                })?;
                Ok(Out::Element(Box::new(RawElement::Feature(f))))
            }
            mode => {
                val(st, false).visit_map(map)?;
                Any { st, mode }.scalar(Value::Null, "an object", None)
            }
        }
    }
}

/// One value of the reader, read as [`State::what`] says: a `Deserialize` reading
/// [`STATE`], so serde_json's stream deserializer (which says where a value ended) can read
/// it.
pub(crate) struct Top(pub(crate) Out);

impl<'de> de::Deserialize<'de> for Top {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| {
            let what = st.borrow().what;
            let mode = match what {
                What::Key => Mode::Key,
                What::Value => Mode::Value { keep: true },
                What::Kind => Mode::Value { keep: false },
                What::Geom => Mode::Geom,
                What::GeomList => Mode::GeomList,
                What::Element => Mode::Element,
                What::Coords => {
                    let mut out = Vec::new();
                    Any {
                        st,
                        mode: Mode::Coords(&mut out),
                    }
                    .deserialize(d)?;
                    return Ok(Top(Out::Coords(Coords(out))));
                }
            };
            let out = Any { st, mode }.deserialize(d)?;
            Ok(Top(match (what, out) {
                (What::Kind, Out::Value(v)) => Out::Kind(super::json::kind_of(&v)),
                (_, out) => out,
            }))
        })
    }
}
