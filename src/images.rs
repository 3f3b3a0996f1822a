//! Images the book ships (the cover and figures): what kind of file each
//! really is, and a decode that refuses to allocate without bound. `check`
//! decodes every image once, so a truncated file or a decompression bomb is
//! a located error before anything renders; the print edition decodes with
//! the same limits.

use std::io::Cursor;
use std::path::Path;

/// At most this many pixels per image. A 6×9 in page at 300 ppi is 4.9 MP
/// and the cover 1600×2560 is 4.1 MP; 40 MP leaves room for a large
/// photograph while refusing a 20000×20000 bomb (400 MP, 1.2 GB as RGB) that
/// is 1 MB on disk.
pub const MAX_PIXELS: u64 = 40_000_000;

/// The decoder may allocate at most this much (40 MP as RGBA plus slack).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Png => "PNG",
            ImageKind::Jpeg => "JPEG",
        }
    }

    fn format(self) -> image::ImageFormat {
        match self {
            ImageKind::Png => image::ImageFormat::Png,
            ImageKind::Jpeg => image::ImageFormat::Jpeg,
        }
    }

    /// The kind a file name's extension promises.
    pub fn from_extension(path: &Path) -> Option<ImageKind> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "png" => Some(ImageKind::Png),
            "jpg" | "jpeg" => Some(ImageKind::Jpeg),
            _ => None,
        }
    }
}

/// The kind of image the bytes hold, from their signature.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// Reads, identifies and fully decodes the image at `path` (so truncation
/// is found), within the pixel limit. The error says what is wrong in words
/// an author can act on.
pub fn inspect(path: &Path) -> Result<ImageInfo, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))?;
    let (info, _) = decode(&bytes)?;
    if ImageKind::from_extension(path) != Some(info.kind) {
        return Err(format!(
            "holds {} data but its name says otherwise; rename it to end in .{}",
            info.kind.name(),
            if info.kind == ImageKind::Png {
                "png"
            } else {
                "jpg"
            }
        ));
    }
    Ok(info)
}

/// Decodes PNG or JPEG bytes into RGB pixels, within the limits.
pub fn decode_rgb(bytes: &[u8]) -> Result<(ImageInfo, Vec<u8>), String> {
    let (info, image) = decode(bytes)?;
    Ok((info, image.to_rgb8().into_raw()))
}

fn decode(bytes: &[u8]) -> Result<(ImageInfo, image::DynamicImage), String> {
    let kind = sniff(bytes).ok_or("is not a PNG or JPEG file")?;
    let reader = image::ImageReader::with_format(Cursor::new(bytes), kind.format());
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("is not a readable {}: {e}", kind.name()))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "is {width}×{height} pixels, more than the {} megapixels an image may have",
            MAX_PIXELS / 1_000_000
        ));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("is not a complete {}: {e}", kind.name()))?;
    Ok((
        ImageInfo {
            kind,
            width,
            height,
        },
        image,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::new(width, height);
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn a_whole_png_decodes() {
        let (info, pixels) = decode_rgb(&png(3, 2)).unwrap();
        assert_eq!((info.kind, info.width, info.height), (ImageKind::Png, 3, 2));
        assert_eq!(pixels.len(), 18);
    }

    #[test]
    fn truncated_and_foreign_files_are_refused() {
        let bytes = png(40, 40);
        let err = decode_rgb(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(
            err.contains("not a complete PNG") || err.contains("not a readable PNG"),
            "{err}"
        );
        assert!(
            decode_rgb(b"GIF89a....")
                .unwrap_err()
                .contains("not a PNG or JPEG")
        );
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // A PNG header that claims 20000×20000 pixels: refused from the
        // header alone, nothing allocated for its pixels.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&20000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20000u32.to_be_bytes());
        // The IHDR chunk's CRC covers its type and data (bytes 12..29).
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = decode_rgb(&bytes).unwrap_err();
        assert!(err.contains("20000×20000"), "{err}");
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
