//! The one place where engine errors become Python exceptions.
//!
//! `impl From<Error> for PyErr` lets every binding apply `?` to an engine [`Result`](crate::Result)
//! in a function that returns `PyResult`. (Polars wraps its error in a newtype first because its
//! error type lives in another crate; ours is defined in this crate, so the orphan rule allows the
//! impl on the engine's type directly.)
//!
//! Each [`Error`] variant has its own exception class, defined in Python in `afweging/errors.py`
//! (so that it can carry `.errors()`, pickle, and subclass `ValueError`). `import_exception!`
//! looks each class up once, on the first error of that kind, and caches it in a `PyOnceLock`;
//! the exception itself is created lazily, when Python sees it, so the conversion needs no GIL.
//! A new variant fails to compile here until it is given its class.

use pyo3::{import_exception, PyErr};

use crate::error::Error;

import_exception!(afweging.errors, ValidationError);
import_exception!(afweging.errors, UnknownNameError);
import_exception!(afweging.errors, SolverError);
import_exception!(afweging.errors, InternalError);

impl From<Error> for PyErr {
    fn from(err: Error) -> PyErr {
        let message = err.to_string();
        let errors = serde_json::to_string(&err.field_errors()).expect("field errors serialise");
        let args = (message, errors);
        match err {
            Error::Validation(_) => ValidationError::new_err(args),
            Error::UnknownName { .. } => UnknownNameError::new_err(args),
            Error::Solver(_) => SolverError::new_err(args),
            Error::Internal(_) => InternalError::new_err(args),
        }
    }
}
