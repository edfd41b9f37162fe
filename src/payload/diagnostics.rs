//! Log Analytics `AzureDiagnostics` rows of DPS and IoT Hub, as JSON (Log Analytics' PascalCase columns or the
//! camelCase of raw resource logs) or as a CSV export.
//!
//! Columns (DPS and IoT Hub monitoring references): `OperationName`, `Category` (DPS: `DeviceOperations`,
//! `ServiceOperations`; IoT Hub: `Connections`, `DeviceTelemetry`, ...), `ResultType` (DPS: `Success`, `Failure`,
//! `ClientError`; IoT Hub: the six-digit error code), `ResultSignature` (the HTTP status), `ResultDescription`
//! (the error text; IoT Hub: the error name), `Level`, `TimeGenerated`, `CorrelationId`, `ResourceType`
//! (`IOTHUBS`, `PROVISIONINGSERVICES`), `ResourceId`, and `properties_s` (JSON: IoT Hub's `deviceId`,
//! `moduleId`, `statusCode`...; DPS's `id` (the registration or enrollment id), `type`, `protocol`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::PayloadKind;
use super::PayloadOptions;
use super::csv::{csv_record_is_open, split_csv_record};
use super::found::{Collector, Parsed, Payload};
use super::json::{self, Fields};
use crate::catalogue::{Catalogue, Service};
use crate::error::{Error, ErrorKind};

/// The columns read, each with the spellings accepted (compared ignoring ASCII case).
const COLUMNS: [(Column, &[&str]); 12] = [
    (Column::Time, &["TimeGenerated", "time"]),
    (Column::ResourceType, &["ResourceType"]),
    (Column::ResourceId, &["ResourceId", "_ResourceId"]),
    (Column::Category, &["Category"]),
    (Column::OperationName, &["OperationName"]),
    (Column::Level, &["Level"]),
    (Column::ResultType, &["ResultType"]),
    (Column::ResultSignature, &["ResultSignature"]),
    (Column::ResultDescription, &["ResultDescription"]),
    (Column::CorrelationId, &["CorrelationId"]),
    (Column::DurationMs, &["DurationMs"]),
    (Column::Properties, &["properties_s", "properties"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Time,
    ResourceType,
    ResourceId,
    Category,
    OperationName,
    Level,
    ResultType,
    ResultSignature,
    ResultDescription,
    CorrelationId,
    DurationMs,
    Properties,
}

/// IoT Hub's resource-log categories (monitor-iot-hub-reference.md).
const IOT_HUB_CATEGORIES: [&str; 14] = [
    "Connections",
    "DeviceTelemetry",
    "C2DCommands",
    "DeviceIdentityOperations",
    "FileUploadOperations",
    "Routes",
    "D2CTwinOperations",
    "C2DTwinOperations",
    "TwinQueries",
    "JobsOperations",
    "DirectMethods",
    "DistributedTracing",
    "Configurations",
    "DeviceStreams",
];

/// One AzureDiagnostics row, values as written (`None`: column absent or empty).
///
/// A JSON key written twice counts once, with its last value. Column names are matched ignoring case, and a
/// column written in two spellings (`ResultType` and the raw resource log's `resultType`) is read from the one
/// spelled as Log Analytics spells it; a CSV header naming a column twice is read from the first.
///
/// ```
/// use azure_iot_codes::{Service, payload::DiagnosticsRow};
/// let row = DiagnosticsRow::from_json(r#"{"Category":"DeviceOperations","OperationName":"AttestationAttempt",
///   "ResultType":"Failure","ResultSignature":"401","ResourceType":"PROVISIONINGSERVICES",
///   "properties_s":"{\"id\":\"sensor-07\",\"type\":\"Registration\",\"protocol\":\"Mqtt\"}"}"#).unwrap();
/// assert_eq!(row.service(), Some(Service::Dps));
/// assert_eq!(row.registration_id().as_deref(), Some("sensor-07"));
/// assert!(row.is_failure());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct DiagnosticsRow {
    /// `TimeGenerated` (`time` in raw resource logs).
    pub time: Option<String>,
    /// `ResourceType`: `IOTHUBS` or `PROVISIONINGSERVICES`.
    pub resource_type: Option<String>,
    /// `ResourceId` (or `_ResourceId`).
    pub resource_id: Option<String>,
    /// `Category`.
    pub category: Option<String>,
    /// `OperationName`.
    pub operation_name: Option<String>,
    /// `Level`.
    pub level: Option<String>,
    /// `ResultType`.
    pub result_type: Option<String>,
    /// `ResultSignature`.
    pub result_signature: Option<String>,
    /// `ResultDescription`.
    pub result_description: Option<String>,
    /// `CorrelationId`.
    pub correlation_id: Option<String>,
    /// `DurationMs`.
    pub duration_ms: Option<String>,
    /// `properties_s` (`properties` in raw resource logs), raw JSON text.
    pub properties: Option<String>,
}

impl DiagnosticsRow {
    fn slot(&mut self, c: Column) -> &mut Option<String> {
        match c {
            Column::Time => &mut self.time,
            Column::ResourceType => &mut self.resource_type,
            Column::ResourceId => &mut self.resource_id,
            Column::Category => &mut self.category,
            Column::OperationName => &mut self.operation_name,
            Column::Level => &mut self.level,
            Column::ResultType => &mut self.result_type,
            Column::ResultSignature => &mut self.result_signature,
            Column::ResultDescription => &mut self.result_description,
            Column::CorrelationId => &mut self.correlation_id,
            Column::DurationMs => &mut self.duration_ms,
            Column::Properties => &mut self.properties,
        }
    }

    /// Parses one row given as a JSON object, with the default limits.
    pub fn from_json(text: &str) -> Result<DiagnosticsRow, Error> {
        let v = json::parse(text, &super::Limits::new(), 0)?;
        let obj = v
            .as_object()
            .ok_or_else(|| Error::new(ErrorKind::UnknownShape, text, "a JSON object"))?;
        let f = Fields::new(obj, text);
        if !DiagnosticsRow::looks_like_json(&f) {
            return Err(Error::new(ErrorKind::UnknownShape, text, ROW_EXPECTED));
        }
        DiagnosticsRow::from_json_fields(&f)
    }

    pub(crate) fn looks_like_json(f: &Fields<'_>) -> bool {
        f.get_ci("OperationName").is_some()
            && ["Category", "ResultType", "ResourceId", "ResourceType"]
                .iter()
                .any(|k| f.get_ci(k).is_some())
    }

    pub(crate) fn from_json_fields(f: &Fields<'_>) -> Result<DiagnosticsRow, Error> {
        let mut row = DiagnosticsRow::default();
        for (column, names) in COLUMNS {
            for name in names {
                if let Some(v) = f.text_ci(name, names[0])?
                    && !v.is_empty()
                {
                    *row.slot(column) = Some(v);
                    break;
                }
            }
        }
        Ok(row)
    }

    /// The service the row comes from: by `ResourceType`, else the `ResourceId` path, else the category.
    pub fn service(&self) -> Option<Service> {
        let rt = self.resource_type.as_deref().unwrap_or("");
        if rt.eq_ignore_ascii_case("IOTHUBS") {
            return Some(Service::IotHub);
        }
        if rt.eq_ignore_ascii_case("PROVISIONINGSERVICES") {
            return Some(Service::Dps);
        }
        let id = self
            .resource_id
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        if id.contains("/microsoft.devices/iothubs/") {
            return Some(Service::IotHub);
        }
        if id.contains("/microsoft.devices/provisioningservices/") {
            return Some(Service::Dps);
        }
        let cat = self.category.as_deref()?;
        // DPS's two categories; IoT Hub has neither (monitor-iot-dps-reference.md, monitor-iot-hub-reference.md).
        if cat.eq_ignore_ascii_case("DeviceOperations")
            || cat.eq_ignore_ascii_case("ServiceOperations")
        {
            return Some(Service::Dps);
        }
        IOT_HUB_CATEGORIES
            .iter()
            .any(|c| c.eq_ignore_ascii_case(cat))
            .then_some(Service::IotHub)
    }

    /// `properties_s` parsed as a JSON object, if it is one.
    fn properties_object(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        let text = self.properties.as_deref()?;
        let limits = super::Limits::new();
        match json::parse(text, &limits, 1).ok()? {
            serde_json::Value::Object(o) => Some(o),
            _ => None,
        }
    }

    fn property(&self, key: &str) -> Option<String> {
        let o = self.properties_object()?;
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| json::scalar_text(v))
            .filter(|s| !s.is_empty())
    }

    /// The device id in `properties_s` (IoT Hub rows).
    pub fn device_id(&self) -> Option<String> {
        self.property("deviceId")
    }

    /// The registration id in `properties_s` (DPS device rows: `id` with `type` `Registration`).
    pub fn registration_id(&self) -> Option<String> {
        let ty = self.property("type");
        if ty
            .as_deref()
            .is_none_or(|t| t.eq_ignore_ascii_case("Registration"))
        {
            self.property("id")
        } else {
            None
        }
    }

    /// Whether the row reports a failure: `Level` is `Error`, or `ResultType` is set to something other than
    /// `Success` (DPS writes `Failure`, `ClientError`, ...; IoT Hub writes the error code).
    pub fn is_failure(&self) -> bool {
        let level_error = self
            .level
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case("Error"));
        let result_failed = self
            .result_type
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty() && !r.trim().eq_ignore_ascii_case("Success"));
        level_error || result_failed
    }

    pub(crate) fn collect(&self, c: &mut Collector<'_>) {
        if c.service.is_none() {
            c.service = self.service();
        }
        c.set(|x| &mut x.operation_name, self.operation_name.as_deref());
        c.set(|x| &mut x.category, self.category.as_deref());
        c.set(|x| &mut x.level, self.level.as_deref());
        c.set(|x| &mut x.result_type, self.result_type.as_deref());
        c.set(|x| &mut x.correlation_id, self.correlation_id.as_deref());
        c.timestamp("TimeGenerated", self.time.as_deref());
        if let Some(rt) = self.result_type.as_deref().map(str::trim)
            && let Ok(n) = crate::parse_number(rt, "")
        {
            let cat = if n.value >= 100_000 {
                Catalogue::ServiceError
            } else {
                Catalogue::HttpStatus
            };
            c.code("ResultType", rt, cat);
        }
        if let Some(sig) = self.result_signature.as_deref().map(str::trim) {
            if sig.len() == 3 && sig.bytes().all(|b| b.is_ascii_digit()) {
                c.code("ResultSignature", sig, Catalogue::HttpStatus);
            } else if !sig.is_empty() {
                c.warn(alloc::format!(
                    "ResultSignature {sig:?} is not an HTTP status"
                ));
            }
        }
        if let Some(desc) = self.result_description.as_deref().map(str::trim) {
            c.set(|x| &mut x.message, Some(desc));
            let one_name = !desc.is_empty() && desc.bytes().all(|b| b.is_ascii_alphanumeric());
            if one_name && Catalogue::ServiceError.lookup_name(desc).next().is_some() {
                c.code("ResultDescription", desc, Catalogue::ServiceError);
            } else {
                c.nested("ResultDescription", desc);
            }
        }
        if let Some(text) = self.properties.as_deref() {
            match json::parse(text, c.limits, c.depth_used + 1) {
                Ok(serde_json::Value::Object(o)) => {
                    self.collect_properties(&Fields::new(&o, text), c)
                }
                Ok(_) => c.warn(String::from("properties_s is not a JSON object")),
                Err(e) => c.warn(alloc::format!("properties_s not read: {e}")),
            }
        }
    }

    fn collect_properties(&self, p: &Fields<'_>, c: &mut Collector<'_>) {
        let text = |k: &str| {
            p.get_ci(k)
                .and_then(json::scalar_text)
                .filter(|s| !s.is_empty())
        };
        c.set(|x| &mut x.device_id, text("deviceId").as_deref());
        c.set(|x| &mut x.module_id, text("moduleId").as_deref());
        if c.service == Some(Service::Dps) {
            let is_registration =
                text("type").is_none_or(|t| t.eq_ignore_ascii_case("Registration"));
            if is_registration {
                c.set(|x| &mut x.registration_id, text("id").as_deref());
            }
        }
        if let Some(status) = text("statusCode")
            && status.len() == 3
            && status.bytes().all(|b| b.is_ascii_digit())
        {
            c.code("properties_s.statusCode", &status, Catalogue::HttpStatus);
        }
    }
}

const ROW_EXPECTED: &str = "an AzureDiagnostics row with OperationName and Category, ResultType, ResourceId or \
     ResourceType (Log Analytics columns or raw resource-log fields)";

/// A CSV export's header: the column names, normalised (`TimeGenerated [UTC]` is `TimeGenerated`).
///
/// ```
/// use azure_iot_codes::payload::CsvHeader;
/// let h = CsvHeader::parse("TimeGenerated [UTC],Category,OperationName,ResultType").unwrap();
/// assert!(h.is_azure_diagnostics());
/// assert_eq!(h.len(), 4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvHeader {
    names: Vec<String>,
    index: [Option<usize>; COLUMNS.len()],
}

impl CsvHeader {
    /// Parses the header record.
    pub fn parse(line: &str) -> Result<CsvHeader, Error> {
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        let names: Vec<String> = split_csv_record(line)?
            .into_iter()
            .map(|n| {
                let n = n.trim();
                // Log Analytics appends the time zone: `TimeGenerated [UTC]`.
                let n = match n.find(" [") {
                    Some(i) if n.ends_with(']') => &n[..i],
                    _ => n,
                };
                n.to_string()
            })
            .collect();
        let mut index = [None; COLUMNS.len()];
        for (slot, (_, spellings)) in index.iter_mut().zip(COLUMNS.iter()) {
            *slot = spellings
                .iter()
                .find_map(|s| names.iter().position(|n| n.eq_ignore_ascii_case(s)));
        }
        Ok(CsvHeader { names, index })
    }

    /// How many columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no columns (never true for a parsed header, which has at least one, maybe empty).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The column names, normalised.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether the columns are those of an AzureDiagnostics export (`OperationName` and `Category`).
    pub fn is_azure_diagnostics(&self) -> bool {
        let has = |c: Column| {
            COLUMNS
                .iter()
                .position(|(x, _)| *x == c)
                .and_then(|i| self.index[i])
                .is_some()
        };
        has(Column::OperationName) && has(Column::Category)
    }

    fn row(&self, record: &str) -> Result<DiagnosticsRow, Error> {
        if !self.is_azure_diagnostics() {
            return Err(Error::new(
                ErrorKind::UnknownShape,
                record,
                "a CSV export of AzureDiagnostics (columns OperationName and Category)",
            ));
        }
        let fields = split_csv_record(record)?;
        if fields.len() != self.names.len() {
            return Err(Error::new(
                ErrorKind::InvalidCsv,
                record,
                "as many fields as the header has columns",
            )
            .with_detail(crate::Detail::Count {
                expected: self.names.len(),
                found: fields.len(),
            }));
        }
        let mut row = DiagnosticsRow::default();
        for (i, (column, _)) in COLUMNS.iter().enumerate() {
            if let Some(at) = self.index[i] {
                let v = fields[at].trim();
                if !v.is_empty() {
                    *row.slot(*column) = Some(v.to_string());
                }
            }
        }
        Ok(row)
    }
}

/// Decodes one CSV record of an AzureDiagnostics export against its header.
///
/// ```
/// use azure_iot_codes::payload::{decode_csv_row, CsvHeader, PayloadOptions};
/// let h = CsvHeader::parse("Category,OperationName,ResultType,ResultDescription,ResourceType").unwrap();
/// let p = decode_csv_row(&h, "Connections,deviceDisconnect,404104,DeviceConnectionClosedRemotely,IOTHUBS",
///     &PayloadOptions::new()).unwrap();
/// assert_eq!(p.codes()[0].matches()[0].name(), "DeviceConnectionClosedRemotely");
/// ```
pub fn decode_csv_row(
    header: &CsvHeader,
    record: impl AsRef<[u8]>,
    options: &PayloadOptions,
) -> Result<Payload, Error> {
    let bytes = record.as_ref();
    if bytes.len() > options.limits.max_bytes {
        return Err(Error::from_bytes(
            ErrorKind::TooLarge,
            bytes,
            "a record within the size limit",
        )
        .with_detail(crate::Detail::Size {
            limit: options.limits.max_bytes,
            found: bytes.len(),
        }));
    }
    let record = core::str::from_utf8(bytes).map_err(|e| {
        Error::from_bytes(ErrorKind::InvalidUtf8, bytes, "UTF-8 text")
            .with_detail(crate::Detail::Offset(e.valid_up_to()))
    })?;
    let row = header.row(record)?;
    let mut c = Collector::new(options);
    row.collect(&mut c);
    Ok(c.finish(PayloadKind::AzureDiagnostics, Parsed::AzureDiagnostics(row)))
}

/// Splits CSV text into records (a quoted field may span lines).
pub(crate) fn csv_records(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut open = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => open = !open,
            b'\n' if !open => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A CSV header and exactly one row, as `decode_payload` accepts them.
pub(crate) fn decode_csv_payload(
    text: &str,
    c: &mut Collector<'_>,
) -> Result<DiagnosticsRow, Error> {
    if csv_record_is_open(text) {
        return Err(Error::new(
            ErrorKind::Truncated,
            text,
            "CSV whose quoted fields are all closed",
        ));
    }
    let records: Vec<&str> = csv_records(text)
        .into_iter()
        .filter(|r| !r.trim().is_empty())
        .collect();
    let [header, row] = records.as_slice() else {
        return Err(Error::new(
            ErrorKind::InvalidCsv,
            text,
            "a CSV header line and one row (whole exports go to `iotcode annotate` or `iotcode report`)",
        ));
    };
    let header = CsvHeader::parse(header)?;
    let row = header.row(row)?;
    row.collect(c);
    Ok(row)
}
