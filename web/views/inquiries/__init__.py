"""An inquiry's pages: its matrix on /s/SLUG/t/ID/inquiry, the asker's form, CSV/XLSX export."""
