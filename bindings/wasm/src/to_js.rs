//! The core's serde documents as plain JavaScript values, built straight from `serde::Serialize` (no JSON text
//! in between), with the field names of structs in camelCase (`tracking_id` -> `trackingId`) and the keys of
//! maps as they are: maps hold the sender's own names (a telemetry payload, a DPS error's `info`), structs the
//! core's field names. `decodePayload` uses it for the parts of its document that have no hand-built object
//! elsewhere in the module (the payload's context, codes and typed parse, the IoT Central report).
//!
//! The same as serde_json's data model otherwise: `None` and unit are `null`, unit variants their name,
//! other enum variants `{ name: value }`, numbers JS numbers (64-bit integers above 2^53 lose precision, as
//! `JSON.parse` of the CLI's output would), non-finite floats `null` (serde_json writes `null` too).
//!
//! Why not serde-wasm-bindgen: it writes struct fields under their Rust names, and a camelCase copy of each
//! core type would be a second description of the same document to keep in step.

use core::fmt;

use js_sys::{Array, Object, Reflect};
use serde::ser::{self, Serialize};
use wasm_bindgen::JsValue;

/// Converts `value`. Fails only when a `Serialize` implementation reports an error of its own, which none of
/// the core's documents do.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Unserializable> {
    value.serialize(JsSerializer)
}

/// A `Serialize` implementation failed: its message.
///
/// Boxed so that the error is one pointer: every field of every document propagates a `Result` with this error,
/// and `Result<(), Unserializable>` then fits in a register rather than going through memory (9 KB less code
/// in the payload module, 1.5 KB gzipped; bindings/wasm/README.md, "Size").
#[derive(Debug)]
#[allow(clippy::box_collection)] // the point: a thin pointer, where a `String` is three words
pub(crate) struct Unserializable(pub(crate) Box<String>);

impl fmt::Display for Unserializable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// `serde::ser::StdError` is `std::error::Error` when serde has its std feature, and serde's own stand-in
// otherwise; implementing it by that name works either way.
impl ser::StdError for Unserializable {}

impl ser::Error for Unserializable {
    fn custom<T: fmt::Display>(msg: T) -> Unserializable {
        Unserializable(Box::new(msg.to_string()))
    }
}

/// `snake_case` -> `camelCase`.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Sets a property on an object this module created: `Reflect.set` only fails on frozen objects, proxies and
/// setters, none of which a fresh `{}` has.
fn put(target: &Object, key: &JsValue, value: &JsValue) {
    let _ = Reflect::set(target, key, value);
}

struct JsSerializer;

/// An array being filled.
struct ArrayBuilder(Array);

/// An object being filled (`key` waits for its value when a map serializes keys and values apart).
struct ObjectBuilder {
    object: Object,
    key: Option<JsValue>,
}

/// A tuple or struct variant: its fields, then `{ variant: fields }`.
struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

fn variant_object(variant: &str, value: &JsValue) -> JsValue {
    let o = Object::new();
    put(&o, &JsValue::from_str(variant), value);
    o.into()
}

impl ser::Serializer for JsSerializer {
    type Ok = JsValue;
    type Error = Unserializable;
    type SerializeSeq = ArrayBuilder;
    type SerializeTuple = ArrayBuilder;
    type SerializeTupleStruct = ArrayBuilder;
    type SerializeTupleVariant = VariantBuilder<ArrayBuilder>;
    type SerializeMap = ObjectBuilder;
    type SerializeStruct = ObjectBuilder;
    type SerializeStructVariant = VariantBuilder<ObjectBuilder>;

    fn serialize_bool(self, v: bool) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_i128(self, v: i128) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_u128(self, v: u128) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<JsValue, Unserializable> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<JsValue, Unserializable> {
        Ok(if v.is_finite() {
            JsValue::from_f64(v)
        } else {
            JsValue::NULL
        })
    }
    fn serialize_char(self, v: char) -> Result<JsValue, Unserializable> {
        let mut buf = [0u8; 4];
        Ok(JsValue::from_str(v.encode_utf8(&mut buf)))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<JsValue, Unserializable> {
        Ok(v.iter()
            .map(|&b| JsValue::from_f64(f64::from(b)))
            .collect::<Array>()
            .into())
    }
    fn serialize_none(self) -> Result<JsValue, Unserializable> {
        Ok(JsValue::NULL)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Unserializable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue, Unserializable> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue, Unserializable> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsValue, Unserializable> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsValue, Unserializable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsValue, Unserializable> {
        Ok(variant_object(variant, &value.serialize(self)?))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<ArrayBuilder, Unserializable> {
        Ok(ArrayBuilder::new())
    }
    fn serialize_tuple(self, _len: usize) -> Result<ArrayBuilder, Unserializable> {
        Ok(ArrayBuilder::new())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<ArrayBuilder, Unserializable> {
        Ok(ArrayBuilder::new())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantBuilder<ArrayBuilder>, Unserializable> {
        Ok(VariantBuilder {
            variant,
            inner: ArrayBuilder::new(),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<ObjectBuilder, Unserializable> {
        Ok(ObjectBuilder::new())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<ObjectBuilder, Unserializable> {
        Ok(ObjectBuilder::new())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantBuilder<ObjectBuilder>, Unserializable> {
        Ok(VariantBuilder {
            variant,
            inner: ObjectBuilder::new(),
        })
    }
}

impl ArrayBuilder {
    fn new() -> ArrayBuilder {
        ArrayBuilder(Array::new())
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
        self.0.push(&value.serialize(JsSerializer)?);
        Ok(())
    }
}

/// `SerializeSeq`, `SerializeTuple` and `SerializeTupleStruct` for [`ArrayBuilder`]: the same two methods under
/// three traits (`$method` is the trait's name for adding one element).
macro_rules! array_builder {
    ($($trait:ident::$method:ident),+) => {$(
        impl ser::$trait for ArrayBuilder {
            type Ok = JsValue;
            type Error = Unserializable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
                self.push(value)
            }
            fn end(self) -> Result<JsValue, Unserializable> {
                Ok(self.0.into())
            }
        }
    )+};
}

array_builder!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl From<ArrayBuilder> for JsValue {
    fn from(b: ArrayBuilder) -> JsValue {
        b.0.into()
    }
}

impl From<ObjectBuilder> for JsValue {
    fn from(b: ObjectBuilder) -> JsValue {
        b.object.into()
    }
}

impl<B: Into<JsValue>> VariantBuilder<B> {
    /// `{ variant: fields }`: the end of a tuple or struct variant.
    fn finish(self) -> Result<JsValue, Unserializable> {
        Ok(variant_object(self.variant, &self.inner.into()))
    }
}

impl ser::SerializeTupleVariant for VariantBuilder<ArrayBuilder> {
    type Ok = JsValue;
    type Error = Unserializable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
        self.inner.push(value)
    }
    fn end(self) -> Result<JsValue, Unserializable> {
        self.finish()
    }
}

impl ObjectBuilder {
    fn new() -> ObjectBuilder {
        ObjectBuilder {
            object: Object::new(),
            key: None,
        }
    }

    /// A struct field, under its camelCase name. Only the value's conversion depends on `T`: the rest is
    /// [`ObjectBuilder::set_field`], one copy for the many field types of the core's documents.
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unserializable> {
        let value = value.serialize(JsSerializer)?;
        self.set_field(key, &value);
        Ok(())
    }

    #[inline(never)]
    fn set_field(&self, key: &str, value: &JsValue) {
        put(&self.object, &JsValue::from_str(&camel_case(key)), value);
    }
}

impl ser::SerializeMap for ObjectBuilder {
    type Ok = JsValue;
    type Error = Unserializable;
    /// A map key as it is: a string stays the property name; a number becomes its text, as a JS property key
    /// does (and as serde_json writes it).
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unserializable> {
        self.key = Some(key.serialize(JsSerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
        let value = value.serialize(JsSerializer)?;
        self.set_value(&value)
    }
    fn end(self) -> Result<JsValue, Unserializable> {
        Ok(self.into())
    }
}

impl ObjectBuilder {
    /// The value of the key [`SerializeMap::serialize_key`](ser::SerializeMap::serialize_key) gave last.
    #[inline(never)]
    fn set_value(&mut self, value: &JsValue) -> Result<(), Unserializable> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Unserializable(Box::new("a map value without its key".to_owned())))?;
        put(&self.object, &key, value);
        Ok(())
    }
}

impl ser::SerializeStruct for ObjectBuilder {
    type Ok = JsValue;
    type Error = Unserializable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unserializable> {
        self.field(key, value)
    }
    fn end(self) -> Result<JsValue, Unserializable> {
        Ok(self.into())
    }
}

impl ser::SerializeStructVariant for VariantBuilder<ObjectBuilder> {
    type Ok = JsValue;
    type Error = Unserializable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unserializable> {
        self.inner.field(key, value)
    }
    fn end(self) -> Result<JsValue, Unserializable> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn field_names_become_camel_case() {
        let table = [
            ("tracking_id", "trackingId"),
            ("created_date_time_utc", "createdDateTimeUtc"),
            ("kind", "kind"),
            ("dps_meaning", "dpsMeaning"),
            ("line_count", "lineCount"),
            ("", ""),
        ];
        for (snake, camel) in table {
            assert_eq!(camel_case(snake), camel);
        }
    }
}
