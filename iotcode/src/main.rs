//! `iotcode`: decode Azure IoT Hub, DPS, IoT Central and Device Update codes in a terminal.
//!
//! Exit status: 0 when every input decoded, 1 when at least one did not (the reason is on stderr), 2 on usage
//! errors. See the README for the JSON contract.

use std::io::Write;
use std::process::ExitCode;

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
    /// Decode codes: numbers (404001, 0x191, -1), names (DEVICE_DISABLED, assigning) or "404 Not Found".
    Decode {
        /// The codes to decode.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Print one JSON document (an array of documents for several inputs).
        #[arg(long)]
        json: bool,
        /// Only consider this catalogue (e.g. service-error, http-status).
        #[arg(long = "catalogue", value_name = "CATALOGUE", value_parser = parse_catalogue)]
        catalogue: Option<Catalogue>,
        /// Only meanings that apply to this service (iot-hub, dps, iot-central, device-update).
        #[arg(long, value_name = "SERVICE", value_parser = parse_service)]
        service: Option<Service>,
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
    error: Option<ErrorDoc<'a>>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Decode {
            inputs,
            json,
            catalogue,
            service,
        } => {
            let options = DecodeOptions { catalogue, service };
            run_decode(&mut out, &inputs, json, &options)
        }
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

fn run_decode(
    out: &mut impl Write,
    inputs: &[String],
    json: bool,
    options: &DecodeOptions,
) -> std::io::Result<ExitCode> {
    let mut failed = false;
    let mut docs = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let result = decode_with(input, options);
        if let Err(e) = &result {
            failed = true;
            eprintln!("iotcode: {e}");
        }
        if json {
            docs.push(decode_doc(input, result));
        } else if let Ok(d) = result {
            if i > 0 {
                writeln!(out)?;
            }
            print_matches(out, input, &d)?;
        }
    }
    if json {
        let text = if docs.len() == 1 {
            serde_json::to_string_pretty(&docs[0])
        } else {
            serde_json::to_string_pretty(&docs)
        };
        writeln!(out, "{}", text.map_err(std::io::Error::other)?)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn decode_doc(input: &str, result: Result<azure_iot_codes::Decoded, Error>) -> DecodeDoc<'_> {
    match result {
        Ok(d) => DecodeDoc {
            input,
            matches: d.matches().to_vec(),
            error: None,
        },
        Err(e) => DecodeDoc {
            input,
            matches: Vec::new(),
            error: Some(ErrorDoc {
                kind: e.kind().as_str(),
                message: e.to_string(),
                input: None,
            }),
        },
    }
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
