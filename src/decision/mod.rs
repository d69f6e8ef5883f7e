//! Decisions: valuation of the impacts, MCDA, decision trees over scenarios, the acute-phase
//! checklist and the assessment that brings them together; one tie rule ([`ties`]) for every
//! ranking and every best.

pub mod assessment;
pub mod checklist;
pub mod mcda;
pub mod sequential;
pub mod ties;
pub mod tree;
pub mod valuation;
