//! Helpers shared by the integration tests that build hostile inputs by hand.
#![allow(dead_code, clippy::unwrap_used)]

use coset::{CoseSign1Builder, Header, TaggedCborSerializable};
use healthpass::SigningKey;
use healthpass::transport::deflate;

/// A tagged COSE_Sign1 with these headers over `payload`, correctly signed by `key`.
pub fn sign1(protected: Header, unprotected: Header, payload: Vec<u8>, key: &SigningKey) -> Vec<u8> {
    CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected)
        .payload(payload)
        .create_signature(&[], |tbs| key.sign(tbs).to_vec())
        .build()
        .to_tagged_vec()
        .unwrap()
}

fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
    png.extend(kind);
    png.extend(data);
    png.extend(crc.sum().to_be_bytes());
}

/// A small PNG file claiming `width` × `height` 8-bit grey pixels, with `extra` chunks before
/// its few bytes of image data. Decoding it would allocate `width × height` bytes.
pub fn png_with(width: u32, height: u32, extra: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no filter, no interlace
    png_chunk(&mut png, b"IHDR", &ihdr);
    for (kind, data) in extra {
        png_chunk(&mut png, kind, data);
    }
    png_chunk(&mut png, b"IDAT", &deflate(&vec![0; (width.min(64) as usize + 1) * height.min(64) as usize]));
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// [`png_with`] and no extra chunks.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    png_with(width, height, &[])
}
