//! Strict CBOR (RFC 8949) for WebAuthn structures, built on ciborium.
//!
//! WebAuthn's CBOR (attestation objects, COSE keys, authenticator extensions) is CTAP2 canonical
//! CBOR (W3C L3 §6.5.4 and §6.5.1): definite lengths only, one item with nothing after it, no
//! duplicate map keys. ciborium's own `Value` decoder accepts all of these, so the strict reader
//! here walks ciborium-ll headers and refuses them, with the byte offset of the fault. Nesting is
//! bounded so hostile input cannot exhaust the stack.

use ciborium_ll::{Decoder, Encoder, Header};

pub use ciborium::Value;

/// Deepest nesting the strict decoder accepts by default. The deepest WebAuthn structure (a
/// compound attestation statement holding an x5c array) nests five levels.
pub const DEFAULT_RECURSION_LIMIT: usize = 32;

/// Why bytes are not one strict CBOR item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CborError {
    /// No bytes at all.
    #[error("empty input where one CBOR item was expected")]
    Empty,
    /// The input ends inside an item.
    #[error("input ends inside a CBOR item (at byte {offset})")]
    Truncated {
        /// The byte offset of the item that the input ends inside.
        offset: usize,
    },
    /// The bytes are not well-formed CBOR (a reserved additional-info value, for example).
    #[error("malformed CBOR at byte {offset}")]
    Malformed {
        /// The byte offset where the malformed encoding was found.
        offset: usize,
    },
    /// An indefinite-length string, array or map; CTAP2 canonical CBOR forbids them.
    #[error(
        "indefinite-length {item} at byte {offset}; WebAuthn CBOR must use definite lengths (W3C L3 §6.5.4, CTAP2 canonical CBOR)"
    )]
    IndefiniteLength {
        /// The byte offset of the item's initial byte.
        offset: usize,
        /// The major type: "byte string", "text string", "array" or "map".
        item: &'static str,
    },
    /// A "break" byte outside an indefinite-length item.
    #[error("unexpected break (0xff) at byte {offset}")]
    UnexpectedBreak {
        /// The byte offset of the break byte.
        offset: usize,
    },
    /// A map holds the same key twice.
    #[error("duplicate map key {key} in the map at byte {offset}")]
    DuplicateMapKey {
        /// The byte offset of the map's initial byte.
        offset: usize,
        /// The repeated key, as [`describe`] renders it (`text "fmt"`, `int 3`).
        key: String,
    },
    /// Bytes follow the single top-level item.
    #[error("{count} trailing byte(s) after the CBOR item, starting at byte {offset}")]
    TrailingBytes {
        /// The byte offset of the first byte after the item.
        offset: usize,
        /// How many bytes follow the item.
        count: usize,
    },
    /// Nesting is deeper than the decoder's limit.
    #[error("nesting deeper than {limit} levels at byte {offset}")]
    RecursionLimit {
        /// The byte offset of the first item nested too deep.
        offset: usize,
        /// The nesting limit in force ([`DecodeOptions::recursion_limit`]).
        limit: usize,
    },
    /// A length header claims more bytes or items than the input can hold.
    #[error("length {declared} declared at byte {offset} exceeds the {remaining} byte(s) left")]
    LengthExceedsInput {
        /// The byte offset of the item's initial byte.
        offset: usize,
        /// The minimum bytes the header implies: its length for a string, its item count for an
        /// array, twice its entry count for a map (every item takes at least one byte).
        declared: usize,
        /// The bytes left in the input after the header.
        remaining: usize,
    },
    /// A text string is not valid UTF-8.
    #[error("text string at byte {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// The byte offset of the text string's initial byte.
        offset: usize,
    },
}

/// What the strict decoder tolerates. The default is what WebAuthn requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Deepest nesting accepted.
    pub recursion_limit: usize,
    /// Accept bytes after the item (callers that parse a prefix set this).
    pub allow_trailing_bytes: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            recursion_limit: DEFAULT_RECURSION_LIMIT,
            allow_trailing_bytes: false,
        }
    }
}

/// Decodes exactly one strict CBOR item; trailing bytes are an error.
pub fn decode(bytes: &[u8]) -> Result<Value, CborError> {
    decode_with(bytes, DecodeOptions::default()).map(|(value, _)| value)
}

/// Decodes one strict CBOR item at the start of `bytes` and returns it with its encoded length.
pub fn decode_prefix(bytes: &[u8]) -> Result<(Value, usize), CborError> {
    decode_with(
        bytes,
        DecodeOptions {
            allow_trailing_bytes: true,
            ..DecodeOptions::default()
        },
    )
}

/// Decodes one item with explicit options; returns the value and how many bytes it used.
pub fn decode_with(bytes: &[u8], options: DecodeOptions) -> Result<(Value, usize), CborError> {
    if bytes.is_empty() {
        return Err(CborError::Empty);
    }
    let mut reader = StrictReader {
        decoder: Decoder::from(bytes),
        input: bytes,
        limit: options.recursion_limit,
    };
    let value = reader.item(0)?;
    let used = reader.decoder.offset();
    if !options.allow_trailing_bytes && used < bytes.len() {
        return Err(CborError::TrailingBytes {
            offset: used,
            count: bytes.len() - used,
        });
    }
    Ok((value, used))
}

/// The initial byte of a two-byte simple value (major type 7, additional information 24).
const TWO_BYTE_SIMPLE: u8 = 0xf8;

struct StrictReader<'a> {
    decoder: Decoder<&'a [u8]>,
    input: &'a [u8],
    limit: usize,
}

impl StrictReader<'_> {
    fn remaining(&mut self) -> usize {
        self.input.len().saturating_sub(self.decoder.offset())
    }

    fn check_len(&mut self, offset: usize, declared: usize) -> Result<(), CborError> {
        let remaining = self.remaining();
        if declared > remaining {
            return Err(CborError::LengthExceedsInput {
                offset,
                declared,
                remaining,
            });
        }
        Ok(())
    }

    fn item(&mut self, depth: usize) -> Result<Value, CborError> {
        let offset = self.decoder.offset();
        if depth > self.limit {
            return Err(CborError::RecursionLimit {
                offset,
                limit: self.limit,
            });
        }
        let header = self.decoder.pull().map_err(|err| low_level(err, offset))?;
        match header {
            Header::Positive(n) => Ok(Value::Integer(n.into())),
            Header::Negative(n) => {
                let value = -1i128 - i128::from(n);
                // Every CBOR negative integer fits ciborium's Integer (it holds -2^64..2^64-1).
                Ok(Value::Integer(
                    ciborium::value::Integer::try_from(value)
                        .map_err(|_| CborError::Malformed { offset })?,
                ))
            }
            Header::Float(f) => Ok(Value::Float(f)),
            // RFC 8949 §3.3: simple values below 32 have only the one-byte form; `f8 14` is not
            // well-formed, so it is not a second spelling of false.
            Header::Simple(_) if self.input.get(offset) == Some(&TWO_BYTE_SIMPLE) => {
                Err(CborError::Malformed { offset })
            }
            Header::Simple(ciborium_ll::simple::FALSE) => Ok(Value::Bool(false)),
            Header::Simple(ciborium_ll::simple::TRUE) => Ok(Value::Bool(true)),
            Header::Simple(ciborium_ll::simple::NULL) => Ok(Value::Null),
            // `undefined` and unassigned simple values have no place in WebAuthn structures.
            Header::Simple(_) => Err(CborError::Malformed { offset }),
            Header::Tag(tag) => Ok(Value::Tag(tag, Box::new(self.item(depth + 1)?))),
            Header::Break => Err(CborError::UnexpectedBreak { offset }),
            Header::Bytes(None) => Err(CborError::IndefiniteLength {
                offset,
                item: "byte string",
            }),
            Header::Text(None) => Err(CborError::IndefiniteLength {
                offset,
                item: "text string",
            }),
            Header::Array(None) => Err(CborError::IndefiniteLength {
                offset,
                item: "array",
            }),
            Header::Map(None) => Err(CborError::IndefiniteLength {
                offset,
                item: "map",
            }),
            Header::Bytes(Some(len)) => {
                self.check_len(offset, len)?;
                Ok(Value::Bytes(self.read_bytes(len, offset)?))
            }
            Header::Text(Some(len)) => {
                self.check_len(offset, len)?;
                let bytes = self.read_bytes(len, offset)?;
                String::from_utf8(bytes)
                    .map(Value::Text)
                    .map_err(|_| CborError::InvalidUtf8 { offset })
            }
            Header::Array(Some(len)) => {
                // Every item takes at least one byte, so this bounds the allocation too.
                self.check_len(offset, len)?;
                let mut items = Vec::with_capacity(len);
                for _ in 0..len {
                    items.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            Header::Map(Some(len)) => {
                self.check_len(offset, len.saturating_mul(2))?;
                let mut entries: Vec<(Value, Value)> = Vec::with_capacity(len);
                let mut seen: Vec<Vec<u8>> = Vec::with_capacity(len);
                for _ in 0..len {
                    let key = self.item(depth + 1)?;
                    let encoded = encode(&key);
                    if seen.contains(&encoded) {
                        return Err(CborError::DuplicateMapKey {
                            offset,
                            key: describe(&key),
                        });
                    }
                    seen.push(encoded);
                    let value = self.item(depth + 1)?;
                    entries.push((key, value));
                }
                Ok(Value::Map(entries))
            }
        }
    }

    fn read_bytes(&mut self, len: usize, offset: usize) -> Result<Vec<u8>, CborError> {
        let mut out = vec![0u8; len];
        ciborium_io::Read::read_exact(&mut self.decoder, &mut out)
            .map_err(|_| CborError::Truncated { offset })?;
        Ok(out)
    }
}

fn low_level<E>(err: ciborium_ll::Error<E>, offset: usize) -> CborError {
    match err {
        ciborium_ll::Error::Io(_) => CborError::Truncated { offset },
        ciborium_ll::Error::Syntax(at) => CborError::Malformed { offset: at },
    }
}

/// Encodes a value in preferred (shortest) form, keeping map entries in the order given.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(&mut Encoder::from(VecWriter(&mut out)), value);
    out
}

/// Encodes several items back to back (authenticator data concatenates a COSE key and an
/// extensions map this way).
pub fn encode_into(out: &mut Vec<u8>, value: &Value) {
    out.extend_from_slice(&encode(value));
}

/// A `Vec` writer whose writes cannot fail, so encoding needs no error path.
struct VecWriter<'a>(&'a mut Vec<u8>);

impl ciborium_io::Write for VecWriter<'_> {
    type Error = std::convert::Infallible;

    fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

fn write_value(encoder: &mut Encoder<VecWriter<'_>>, value: &Value) {
    let infallible = |result: Result<(), std::convert::Infallible>| match result {
        Ok(()) => {}
        Err(never) => match never {},
    };
    match value {
        Value::Integer(i) => {
            let i = i128::from(*i);
            let header = if i >= 0 {
                Header::Positive(u64::try_from(i).unwrap_or(u64::MAX))
            } else {
                Header::Negative(u64::try_from(-1 - i).unwrap_or(u64::MAX))
            };
            infallible(encoder.push(header));
        }
        Value::Bytes(bytes) => infallible(encoder.bytes(bytes, None)),
        Value::Text(text) => infallible(encoder.text(text, None)),
        Value::Float(f) => infallible(encoder.push(Header::Float(*f))),
        Value::Bool(b) => infallible(encoder.push(Header::Simple(if *b {
            ciborium_ll::simple::TRUE
        } else {
            ciborium_ll::simple::FALSE
        }))),
        Value::Null => infallible(encoder.push(Header::Simple(ciborium_ll::simple::NULL))),
        Value::Tag(tag, inner) => {
            infallible(encoder.push(Header::Tag(*tag)));
            write_value(encoder, inner);
        }
        Value::Array(items) => {
            infallible(encoder.push(Header::Array(Some(items.len()))));
            for item in items {
                write_value(encoder, item);
            }
        }
        Value::Map(entries) => {
            infallible(encoder.push(Header::Map(Some(entries.len()))));
            for (key, value) in entries {
                write_value(encoder, key);
                write_value(encoder, value);
            }
        }
        // `Value` is non-exhaustive; any future kind is written as `undefined` so it cannot
        // silently pass for valid data.
        _ => infallible(encoder.push(Header::Simple(ciborium_ll::simple::UNDEFINED))),
    }
}

/// A short human description of a value, for error messages ("text \"fmt\"", "int -7").
pub fn describe(value: &Value) -> String {
    match value {
        Value::Integer(i) => format!("int {}", i128::from(*i)),
        Value::Bytes(b) => format!("bytes({})", b.len()),
        Value::Text(t) => format!("text {t:?}"),
        Value::Float(f) => format!("float {f}"),
        Value::Bool(b) => format!("bool {b}"),
        Value::Null => "null".to_owned(),
        Value::Tag(tag, _) => format!("tag {tag}"),
        Value::Array(items) => format!("array({})", items.len()),
        Value::Map(entries) => format!("map({})", entries.len()),
        _ => "unknown CBOR value".to_owned(),
    }
}

/// The CBOR major-type name of a value, for "expected X, found Y" errors.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Integer(_) => "integer",
        Value::Bytes(_) => "byte string",
        Value::Text(_) => "text string",
        Value::Float(_) => "float",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
        Value::Tag(..) => "tag",
        Value::Array(_) => "array",
        Value::Map(_) => "map",
        _ => "unknown",
    }
}

/// Looks up a text key in a CBOR map's entries.
pub fn map_get_text<'a>(entries: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    entries
        .iter()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
        .map(|(_, v)| v)
}

/// Looks up an integer key (a COSE label) in a CBOR map's entries.
pub fn map_get_int(entries: &[(Value, Value)], key: i64) -> Option<&Value> {
    entries
        .iter()
        .find(|(k, _)| matches!(k, Value::Integer(i) if i128::from(*i) == i128::from(key)))
        .map(|(_, v)| v)
}

/// Reads an integer value as i64 if it fits.
pub fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(i) => i64::try_from(i128::from(*i)).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
