//! Bounds-checked reading of the binary files errdex keeps between builds
//! (the output manifest, the search store): a damaged file reads as `None`,
//! never as a panic or a large allocation.

/// Reads numbers and byte runs off a slice; every read checks its bounds.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// Whether every byte has been read.
    pub fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.at..]
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let run = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(run)
    }

    /// The next byte.
    pub fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    /// A little-endian `u64`.
    pub fn u64_le(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A little-endian `u128`.
    pub fn u128_le(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    /// A varint: 7 bits a byte, the high bit on all but the last.
    pub fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A count written as a varint, of items of at least `size` bytes each.
    pub fn varint_count(&mut self, size: usize) -> Option<usize> {
        let count = self.varint()?;
        self.fits(count, size)
    }

    /// A count written as a little-endian `u64`, of items of at least
    /// `size` bytes each.
    pub fn u64_count(&mut self, size: usize) -> Option<usize> {
        let count = self.u64_le()?;
        self.fits(count, size)
    }

    /// `count`, refused when the rest is too short for that many items of
    /// `size` bytes: a damaged count cannot make a large allocation.
    fn fits(&self, count: u64, size: usize) -> Option<usize> {
        let count = usize::try_from(count).ok()?;
        ((self.bytes.len() - self.at) / size >= count).then_some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let mut reader = Reader::new(&[0x96, 0x01, 7, 0xff]);
        assert_eq!(reader.varint(), Some(150));
        assert_eq!(reader.byte(), Some(7));
        assert_eq!(reader.rest(), [0xff]);
        assert_eq!(reader.varint(), None);
        assert_eq!(Reader::new(&[1, 2, 3]).u64_le(), None);
        assert_eq!(Reader::new(&[2, 0]).varint_count(1), None);
        assert_eq!(Reader::new(&[1, 0]).varint_count(1), Some(1));
        assert!(Reader::new(&[]).is_done());
    }
}
