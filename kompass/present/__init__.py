"""Every Swedish word and number format a user sees: labels, messages, display tables,
figures, the print-out and the exports. No Streamlit: testable on its own."""
