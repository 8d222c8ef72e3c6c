"""`replylint batch`: a helpdesk export in, one graded row out per row, a summary per agent, rule
and week, and a self-contained HTML report; on one machine's cores or a Dask cluster."""
