"""Publishing: the annex PDF and the bulletin as .docx and PDF, through python-docx and LibreOffice."""
