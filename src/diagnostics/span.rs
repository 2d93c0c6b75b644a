//! Source positions: where in a YAML file a value was written.
//!
//! Every value an editor can get wrong is kept with its [`Span`], so a
//! diagnostic can point at the exact line and column.

use std::borrow::Cow;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};

/// A byte range in a source file; line and column are derived from it on demand.
///
/// Offsets are 32-bit: sources are at most 4 MiB, and a parsed entry holds
/// dozens of spans, so half the size counts on a large catalog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// A span covering `len` bytes from `start` (offsets past 4 GiB, which no
    /// accepted source has, are clamped).
    pub fn new(start: usize, len: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            start: clamp(start),
            len: clamp(len),
        }
    }

    /// Byte offset of the first byte of the value.
    pub const fn start(&self) -> usize {
        self.start as usize
    }

    /// Length in bytes (0 when the parser could not tell).
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// One past the last byte.
    pub const fn end(&self) -> usize {
        self.start() + self.len()
    }

    fn from_location(location: &serde_saphyr::Location) -> Self {
        let span = location.span();
        match (span.byte_offset(), span.byte_len()) {
            (Some(start), Some(len)) => Self::new(start as usize, len as usize),
            _ => Self::default(),
        }
    }
}

/// A value together with the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value itself.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }

    /// Transforms the value, keeping the span.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned::new(f(self.value), self.span)
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let span = Span::from_location(&spanned.referenced);
        Ok(Self::new(spanned.value, span))
    }
}

impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// The schema of a spanned value is the schema of the value: spans are ours, not the editor's.
impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}
