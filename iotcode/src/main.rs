//! `iotcode`: decode Azure IoT Hub, DPS, IoT Central and Device Update codes in a terminal.
//!
//! Exit status: 0 when every input decoded, 1 when at least one did not (the reason is on stderr), 2 on usage
//! errors. See the README for the JSON contract and the `annotate` / `report` contract.

mod annotate;
mod docs;
mod records;
mod report;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::ExitCode;

use azure_iot_codes::payload::{
    Limits, Parsed, Payload, PayloadOptions, decode_payload_with, looks_like_payload,
};
use azure_iot_codes::{Catalogue, DecodeOptions, Error, Meaning, Service, decode_with};
use clap::{Parser, Subcommand};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "iotcode",
    version,
    about = "Decode Azure IoT Hub, DPS, IoT Central and Device Update codes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode codes: numbers (404001, 0x191, -1), names (DEVICE_DISABLED, assigning) or "404 Not Found";
    /// or payloads that carry them: MQTT response topics, DPS / IoT Hub JSON bodies, an `iothub-errorcode:`
    /// header, Device Update twins, `az iot central device registration-info` output, AzureDiagnostics rows.
    Decode {
        /// The codes or payloads to decode; `-` reads one from stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Largest payload read, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_BYTES)]
        max_bytes: usize,
        /// Print one JSON document (an array of documents for several inputs).
        #[arg(long)]
        json: bool,
        /// Only consider this catalogue (e.g. service-error, http-status); for bare codes, since a payload's
        /// fields each have their own.
        #[arg(long = "catalogue", value_name = "CATALOGUE", value_parser = parse_catalogue)]
        catalogue: Option<Catalogue>,
        /// Only meanings that apply to this service (iot-hub, dps, iot-central, device-update).
        #[arg(long, value_name = "SERVICE", value_parser = parse_service)]
        service: Option<Service>,
    },
    /// Write every record of a log export (JSON lines or CSV) with the decoded codes added.
    Annotate {
        /// The export; stdin when absent or `-`.
        file: Option<String>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Summarise a log export: counts by code with meaning and mitigation, most affected devices, DPS funnel.
    Report {
        /// The export; stdin when absent or `-`.
        file: Option<String>,
        #[command(flatten)]
        input: InputArgs,
        /// Print JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print Markdown.
        #[arg(long)]
        markdown: bool,
        /// How many devices to list.
        #[arg(long, value_name = "N", default_value_t = 10)]
        top: usize,
    },
    /// Print a catalogue, or the list of catalogues when none is named.
    List {
        /// The catalogue to print (http-status, service-error, auth-suberror, iot-central-status,
        /// dps-registration-status, dps-registration-substatus, mqtt-connack).
        #[arg(value_parser = parse_catalogue)]
        catalogue: Option<Catalogue>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct InputArgs {
    /// JSON lines or CSV (auto: `{` first means JSON lines).
    #[arg(long, value_enum, default_value_t = records::Format::Auto)]
    format: records::Format,
    /// Largest record read, in bytes; longer ones are passed through and reported.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// The service the export comes from, when the rows do not say.
    #[arg(long, value_name = "SERVICE", value_parser = parse_service)]
    service: Option<Service>,
    /// No progress or summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_catalogue(s: &str) -> Result<Catalogue, String> {
    s.parse::<Catalogue>().map_err(|e| e.to_string())
}

fn parse_service(s: &str) -> Result<Service, String> {
    s.parse::<Service>().map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct ErrorDoc<'a> {
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a str>,
}

#[derive(Serialize)]
struct DecodeDoc<'a> {
    input: &'a str,
    matches: Vec<&'static Meaning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<docs::PayloadDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorDoc<'a>>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Decode {
            inputs,
            max_bytes,
            json,
            catalogue,
            service,
        } => {
            let options = DecodeOptions { catalogue, service };
            let limits = Limits::new().max_bytes(max_bytes);
            match read_stdin_input(&inputs, max_bytes) {
                Ok(inputs) => run_decode(&mut out, &inputs, json, &options, limits),
                Err(code) => return code,
            }
        }
        Command::Annotate { file, input } => return run_annotate(&mut out, file, &input),
        Command::Report {
            file,
            input,
            json,
            markdown,
            top,
        } => return run_report(&mut out, file, &input, json, markdown, top),
        Command::List { catalogue, json } => {
            run_list(&mut out, catalogue, json).map(|()| ExitCode::SUCCESS)
        }
    };
    match result.and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        // A closed pipe (`iotcode list | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("iotcode: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

/// Replaces a `-` input by what stdin holds (at most `max_bytes + 1` bytes are read, so a longer input is
/// reported as too large instead of being buffered whole).
fn read_stdin_input(inputs: &[String], max_bytes: usize) -> Result<Vec<String>, ExitCode> {
    if inputs.iter().filter(|i| *i == "-").count() > 1 {
        eprintln!("iotcode: `-` (stdin) may be given only once");
        return Err(ExitCode::from(2));
    }
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        if input != "-" {
            out.push(input.clone());
            continue;
        }
        let mut bytes = Vec::new();
        let limit = u64::try_from(max_bytes)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
            eprintln!("iotcode: cannot read stdin: {e}");
            return Err(ExitCode::from(2));
        }
        match String::from_utf8(bytes) {
            Ok(text) => out.push(text),
            Err(e) => {
                // Reported through the payload decoder, which names the first bad byte.
                let err = decode_payload_with(e.as_bytes(), &PayloadOptions::new()).unwrap_err();
                eprintln!("iotcode: {err}");
                return Err(ExitCode::from(1));
            }
        }
    }
    Ok(out)
}

/// What one `decode` input turned out to be.
enum Outcome {
    Code(Result<azure_iot_codes::Decoded, Error>),
    Payload(Box<Result<Payload, Error>>),
}

fn run_decode(
    out: &mut impl Write,
    inputs: &[String],
    json: bool,
    options: &DecodeOptions,
    limits: Limits,
) -> std::io::Result<ExitCode> {
    let mut failed = false;
    let mut outcomes = Vec::with_capacity(inputs.len());
    for input in inputs {
        let outcome = if looks_like_payload(input) {
            let mut popts = PayloadOptions::new().limits(limits);
            popts.service = options.service;
            let result = decode_payload_with(input, &popts);
            match &result {
                Err(e) => {
                    failed = true;
                    eprintln!("iotcode: {e}");
                }
                Ok(p) => {
                    for c in p.codes() {
                        if let Err(e) = c.decoded() {
                            failed = true;
                            eprintln!("iotcode: {}: {e}", c.field());
                        }
                    }
                }
            }
            Outcome::Payload(Box::new(result))
        } else {
            let result = decode_with(input, options);
            if let Err(e) = &result {
                failed = true;
                eprintln!("iotcode: {e}");
            }
            Outcome::Code(result)
        };
        outcomes.push(outcome);
    }
    if json {
        let docs: Vec<DecodeDoc<'_>> = inputs
            .iter()
            .zip(&outcomes)
            .map(|(input, outcome)| match outcome {
                Outcome::Code(r) => decode_doc(input, r),
                Outcome::Payload(r) => payload_decode_doc(input, r.as_ref()),
            })
            .collect();
        let text = if docs.len() == 1 {
            serde_json::to_string_pretty(&docs[0])
        } else {
            serde_json::to_string_pretty(&docs)
        };
        writeln!(out, "{}", text.map_err(std::io::Error::other)?)?;
    } else {
        let mut printed = false;
        for (input, outcome) in inputs.iter().zip(&outcomes) {
            let ok = match outcome {
                Outcome::Code(r) => r.is_ok(),
                Outcome::Payload(r) => r.is_ok(),
            };
            if ok && printed {
                writeln!(out)?;
            }
            match outcome {
                Outcome::Code(Ok(d)) => print_matches(out, input, d)?,
                Outcome::Payload(r) => {
                    if let Ok(p) = r.as_ref() {
                        print_payload(out, input, p)?;
                    }
                }
                Outcome::Code(Err(_)) => {}
            }
            printed |= ok;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn decode_doc<'a>(
    input: &'a str,
    result: &Result<azure_iot_codes::Decoded, Error>,
) -> DecodeDoc<'a> {
    match result {
        Ok(d) => DecodeDoc {
            input,
            matches: d.matches().to_vec(),
            payload: None,
            error: None,
        },
        Err(e) => DecodeDoc {
            input,
            matches: Vec::new(),
            payload: None,
            error: Some(ErrorDoc {
                kind: e.kind().as_str(),
                message: e.to_string(),
                input: None,
            }),
        },
    }
}

fn payload_decode_doc<'a>(input: &'a str, result: &'a Result<Payload, Error>) -> DecodeDoc<'a> {
    match result {
        Ok(p) => DecodeDoc {
            input,
            matches: p.matches(),
            payload: Some(docs::payload_doc(p, true)),
            error: None,
        },
        Err(e) => DecodeDoc {
            input,
            matches: Vec::new(),
            payload: None,
            error: Some(ErrorDoc {
                kind: e.kind().as_str(),
                message: e.to_string(),
                input: None,
            }),
        },
    }
}

/// A payload on one line (runs of blanks and line breaks become one space), shortened, to head its text output.
fn headline(input: &str) -> String {
    let flat = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 72 {
        let cut: String = flat.chars().take(69).collect();
        format!("{cut}...")
    } else {
        flat
    }
}

fn print_payload(out: &mut impl Write, input: &str, p: &Payload) -> std::io::Result<()> {
    let service = p
        .service()
        .map(|s| format!(" from {s}"))
        .unwrap_or_default();
    let n = p.codes().len();
    let plural = if n == 1 { "code" } else { "codes" };
    writeln!(
        out,
        "{}: {}{service}, {n} {plural}",
        headline(input),
        p.kind()
    )?;
    if let Ok(serde_json::Value::Object(ctx)) = serde_json::to_value(p.context()) {
        for (k, v) in ctx {
            if k == "timestamps" {
                for t in v.as_array().into_iter().flatten() {
                    writeln!(
                        out,
                        "   {}: {}",
                        t["field"].as_str().unwrap_or(""),
                        t["value"].as_str().unwrap_or("")
                    )?;
                }
            } else {
                writeln!(
                    out,
                    "   {k}: {}",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )?;
            }
        }
    }
    if let Parsed::DeviceUpdate(du) = p.parsed() {
        print_device_update(out, du)?;
    }
    for w in p.warnings() {
        writeln!(out, "   warning: {w}")?;
    }
    for c in p.codes() {
        writeln!(out)?;
        let m = c.matches();
        let plural = if m.len() == 1 { "meaning" } else { "meanings" };
        writeln!(out, "{} = {}: {} {plural}", c.field(), c.value(), m.len())?;
        for (i, meaning) in m.iter().enumerate() {
            print_meaning(out, i + 1, meaning)?;
        }
    }
    Ok(())
}

fn print_device_update(
    out: &mut impl Write,
    du: &azure_iot_codes::payload::DeviceUpdateAgent,
) -> std::io::Result<()> {
    fn result_line(r: &azure_iot_codes::payload::InstallResult) -> String {
        let mut parts = Vec::new();
        if let Some(c) = r.result_code {
            parts.push(format!("resultCode {c}"));
        }
        if let Some(e) = r.extended_result_code {
            parts.push(format!("extendedResultCode {e:#010X} ({})", e as i32));
        }
        if let Some(list) = &r.extended_result_codes {
            let hex: Vec<String> = list.iter().map(|e| format!("{e:#010X}")).collect();
            parts.push(format!(
                "extendedResultCodes [{}] (root first)",
                hex.join(", ")
            ));
        }
        if let Some(d) = r.result_details.as_deref().filter(|d| !d.is_empty()) {
            parts.push(format!("details {d:?}"));
        }
        parts.join(", ")
    }
    if let Some(state) = du.state {
        writeln!(out, "   agent state: {state}")?;
    }
    if let Some(r) = &du.last_install_result {
        writeln!(out, "   lastInstallResult: {}", result_line(&r.result))?;
        for s in &r.step_results {
            writeln!(out, "   {}: {}", s.step_id, result_line(&s.result))?;
        }
    }
    Ok(())
}

fn print_matches(
    out: &mut impl Write,
    input: &str,
    d: &azure_iot_codes::Decoded,
) -> std::io::Result<()> {
    let count = d.len();
    let plural = if count == 1 { "meaning" } else { "meanings" };
    writeln!(out, "{input}: {count} {plural}")?;
    for (i, m) in d.iter().enumerate() {
        writeln!(out)?;
        print_meaning(out, i + 1, m)?;
    }
    Ok(())
}

fn print_meaning(out: &mut impl Write, n: usize, m: &Meaning) -> std::io::Result<()> {
    let http = m
        .http_status()
        .map(|h| format!("HTTP {h}, "))
        .unwrap_or_default();
    writeln!(
        out,
        "{n}. [{}] {} {}  ({http}{})",
        m.catalogue(),
        m.code(),
        m.name(),
        m.services()
    )?;
    if m.standing() != azure_iot_codes::Standing::Current {
        writeln!(out, "   Standing:      {}", m.standing().as_str())?;
    }
    writeln!(out, "   What happened: {}", m.description())?;
    writeln!(out, "   What to do:    {}", m.mitigation())?;
    if let Some(note) = m.note() {
        writeln!(out, "   Note:          {note}")?;
    }
    writeln!(out, "   Source:        {}", m.source())
}

/// A file's path and size (for progress); `None` for stdin.
type FileInfo = Option<(String, Option<u64>)>;

/// Opens the export: a file (with its size, for progress) or stdin.
fn open_input(file: Option<&str>) -> Result<(Box<dyn BufRead>, FileInfo), ExitCode> {
    match file {
        None | Some("-") => Ok((
            Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
            None,
        )),
        Some(path) => match File::open(path) {
            Ok(f) => {
                let size = f.metadata().ok().map(|m| m.len());
                Ok((
                    Box::new(BufReader::with_capacity(1 << 16, f)),
                    Some((path.to_string(), size)),
                ))
            }
            Err(e) => {
                eprintln!("iotcode: cannot open {path}: {e}");
                Err(ExitCode::from(2))
            }
        },
    }
}

fn payload_options(input: &InputArgs) -> PayloadOptions {
    let mut o = PayloadOptions::new().limits(Limits::new().max_bytes(input.max_bytes));
    o.service = input.service;
    o
}

fn finish_io(result: std::io::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("iotcode: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_annotate(out: &mut impl Write, file: Option<String>, input: &InputArgs) -> ExitCode {
    let (reader, file) = match open_input(file.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let progress = match (&file, input.quiet) {
        (Some((path, size)), false) => Some(annotate::Progress::new(
            &format!("iotcode annotate {path}"),
            *size,
        )),
        _ => None,
    };
    let options = annotate::Options {
        payload: payload_options(input),
        format: input.format,
        progress,
    };
    let result = annotate::run(reader, out, options).and_then(|totals| {
        out.flush()?;
        if !input.quiet {
            eprintln!(
                "iotcode annotate: {} records, {} annotated ({} with codes), {} not recognised, {} malformed",
                totals.records, totals.annotated, totals.with_codes, totals.unrecognised, totals.malformed
            );
        }
        Ok(if totals.malformed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    });
    finish_io(result)
}

fn run_report(
    out: &mut impl Write,
    file: Option<String>,
    input: &InputArgs,
    json: bool,
    markdown: bool,
    top: usize,
) -> ExitCode {
    let (reader, file) = match open_input(file.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let progress = match (&file, input.quiet) {
        (Some((path, size)), false) => Some(annotate::Progress::new(
            &format!("iotcode report {path}"),
            *size,
        )),
        _ => None,
    };
    let result =
        report::collect(reader, &payload_options(input), input.format, progress).and_then(|r| {
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&r.to_json(top)).map_err(std::io::Error::other)?
                )?;
            } else if markdown {
                r.write_markdown(out, top)?;
            } else {
                r.write_text(out, top)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        });
    finish_io(result)
}

#[derive(Serialize)]
struct CatalogueSummary {
    catalogue: Catalogue,
    rows: usize,
}

fn run_list(out: &mut impl Write, catalogue: Option<Catalogue>, json: bool) -> std::io::Result<()> {
    match (catalogue, json) {
        (None, false) => {
            for c in Catalogue::ALL {
                writeln!(out, "{:<28} {:>4} rows", c.as_str(), c.rows().len())?;
            }
        }
        (None, true) => {
            let list: Vec<_> = Catalogue::ALL
                .iter()
                .map(|&c| CatalogueSummary {
                    catalogue: c,
                    rows: c.rows().len(),
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?
            )?;
        }
        (Some(c), false) => {
            for m in c.rows() {
                let http = m.http_status().map(|h| h.to_string()).unwrap_or_default();
                writeln!(
                    out,
                    "{:<20} {:<45} {:>4}  {}",
                    m.code().to_string(),
                    m.name(),
                    http,
                    m.services()
                )?;
            }
        }
        (Some(c), true) => {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(c.rows()).map_err(std::io::Error::other)?
            )?;
        }
    }
    Ok(())
}
