"""The verdict and handover.yaml's data in the customer's office formats: an Excel
workbook and the printed go / no-go sheet (PDF)."""
