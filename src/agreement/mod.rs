//! Loading an agreement: YAML with byte spans (`yaml`), the field table (`schema`), typed
//! values (`values`), the loaded tree (`doc`) and the loader itself (`load`).
pub(crate) mod doc;
pub(crate) mod load;
pub(crate) mod schema;
mod slips;
pub(crate) mod values;
pub(crate) mod yaml;
