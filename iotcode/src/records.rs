//! The export layout option. The bounded record reader itself is the library's
//! (`azure_iot_codes::payload::RecordReader`), so that the fuzz targets reach it too.

pub use azure_iot_codes::payload::{Record, RecordReader, split_ending};

/// How the export is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Decide from the first non-blank byte: `{` means JSON lines, anything else CSV.
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// A header line, then one row per record (RFC 4180).
    Csv,
}
