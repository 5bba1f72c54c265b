"""Writers: lay out the document model in each output format."""
