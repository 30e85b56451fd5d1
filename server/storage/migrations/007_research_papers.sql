-- research papers, with the first real, cited entries
CREATE TABLE papers (
  id {uuid} PRIMARY KEY,
  title VARCHAR(300) NOT NULL,
  authors VARCHAR(500) NOT NULL,
  year INTEGER NOT NULL,
  venue VARCHAR(200) NOT NULL,
  url VARCHAR(500) NOT NULL,
  doi VARCHAR(200),
  topic VARCHAR(20) NOT NULL,
  created_at {timestamp} NOT NULL,
  updated_at {timestamp} NOT NULL
);
INSERT INTO papers (id, title, authors, year, venue, url, doi, topic, created_at, updated_at) VALUES
  ('01a20f30-0000-7000-8000-000000000001', 'TACO: Trash Annotations in Context for Litter Detection', 'Pedro F. Proença, Pedro Simões', 2020, 'arXiv preprint arXiv:2003.06975', 'https://arxiv.org/abs/2003.06975', NULL, 'datasets', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000002', 'You Only Look Once: Unified, Real-Time Object Detection', 'Joseph Redmon, Santosh Divvala, Ross Girshick, Ali Farhadi', 2016, 'CVPR 2016', 'https://arxiv.org/abs/1506.02640', '10.1109/CVPR.2016.91', 'detection', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000003', 'Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks', 'Shaoqing Ren, Kaiming He, Ross Girshick, Jian Sun', 2015, 'NeurIPS 2015', 'https://arxiv.org/abs/1506.01497', NULL, 'detection', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000004', 'Microsoft COCO: Common Objects in Context', 'Tsung-Yi Lin, Michael Maire, Serge Belongie, et al.', 2014, 'ECCV 2014', 'https://arxiv.org/abs/1405.0312', '10.1007/978-3-319-10602-1_48', 'datasets', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000005', 'Deep learning-based waste detection in natural and urban environments', 'Sylwia Majchrowska, Agnieszka Mikołajczyk, Maria Ferlin, et al.', 2022, 'Waste Management 138, 274–284', 'https://doi.org/10.1016/j.wasman.2021.12.001', '10.1016/j.wasman.2021.12.001', 'detection', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z'),
  ('01a20f30-0000-7000-8000-000000000006', 'What a Waste 2.0: A Global Snapshot of Solid Waste Management to 2050', 'Silpa Kaza, Lisa Yao, Perinaz Bhada-Tata, Frank Van Woerden', 2018, 'World Bank, Urban Development Series', 'https://doi.org/10.1596/978-1-4648-1329-0', '10.1596/978-1-4648-1329-0', 'management', '2026-11-24T00:00:00.000Z', '2026-11-24T00:00:00.000Z');
