"""The consolidated BÁO CÁO: composed from the data into one document model, rendered to HTML/PDF and DOCX."""
