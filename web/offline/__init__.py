"""A space for people without access and for records transfer (移管): files that open anywhere."""
