//! `#[guard_panics]`: the one place where the bindings catch panics. pyo3 turns a panic that
//! reaches its trampoline into `pyo3_runtime.PanicException`, a `BaseException` that no
//! `except Exception` (nor `except af.AfwegingError`) catches, and offers no hook to change it.
//! Placed on a `#[pymethods]` block or a `#[pyfunction]`, the attribute runs the body of every
//! function through `crate::python::guard`, which turns a panic into `afweging.InternalError`;
//! a function that returned `T` now returns `PyResult<T>` (to Python the same). Bodies, names,
//! attributes and doc comments are left as they are.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, parse_quote, Block, Item, ReturnType, Signature, Type};

#[proc_macro_attribute]
pub fn guard_panics(_args: TokenStream, item: TokenStream) -> TokenStream {
    let mut item = parse_macro_input!(item as Item);
    match &mut item {
        Item::Impl(block) => {
            for member in &mut block.items {
                if let syn::ImplItem::Fn(f) = member {
                    guard(&mut f.sig, &mut f.block);
                }
            }
        }
        Item::Fn(f) => guard(&mut f.sig, &mut f.block),
        other => {
            return syn::Error::new_spanned(
                other,
                "#[guard_panics] goes on a #[pymethods] impl block or a #[pyfunction]",
            )
            .to_compile_error()
            .into()
        }
    }
    quote!(#item).into()
}

/// Wraps `block` in `crate::python::guard` and makes the return type a `PyResult` when it was not.
fn guard(sig: &mut Signature, block: &mut Block) {
    let body = &*block;
    let wrapped: Block = if returns_result(&sig.output) {
        parse_quote!({ crate::python::guard(|| #body) })
    } else {
        let ok: Type = match &sig.output {
            ReturnType::Default => parse_quote!(()),
            ReturnType::Type(_, ty) => (**ty).clone(),
        };
        sig.output = parse_quote!(-> ::pyo3::PyResult<#ok>);
        parse_quote!({ crate::python::guard(|| ::core::result::Result::Ok(#body)) })
    };
    *block = wrapped;
}

/// Whether the function already returns a `PyResult<...>`.
fn returns_result(output: &ReturnType) -> bool {
    match output {
        ReturnType::Type(_, ty) => match &**ty {
            Type::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "PyResult"),
            _ => false,
        },
        ReturnType::Default => false,
    }
}
