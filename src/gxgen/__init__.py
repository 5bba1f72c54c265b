"""gxgen: the statutory 政府信息公开工作年度报告, from a YAML file of facts."""

__version__ = "0.1.0"
