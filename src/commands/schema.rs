//! `breachline schema`: the JSON Schema of an incident file.

use super::shared::write_stdout;
use super::EXIT_OK;
use crate::error::Error;
use crate::schema;

pub fn run() -> Result<u8, Error> {
    write_stdout(&schema::incident_schema_json())?;
    Ok(EXIT_OK)
}
