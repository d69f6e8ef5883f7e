//! Decisions: valuation of the impacts, MCDA, decision trees over scenarios, the acute-phase
//! checklist and the assessment that brings them together.

pub mod assessment;
pub mod checklist;
pub mod mcda;
pub mod tree;
pub mod valuation;
