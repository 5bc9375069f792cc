"""Forecasting engines: what the stakeholders will settle on."""
