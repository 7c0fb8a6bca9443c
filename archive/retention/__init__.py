"""Records retention (保存期間) and approved disposal (廃棄), with its register (廃棄簿)."""
