//! Loading an agreement: YAML with byte spans (`yaml`), the field table (`schema`), typed
//! values (`values`), the loaded tree (`doc`) and the loader itself (`load`).
pub mod doc;
pub mod load;
pub mod schema;
mod slips;
pub mod values;
pub mod yaml;
