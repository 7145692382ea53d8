-- 支出经济分类: what each budget line may be spent on, by the economic classification of
-- departmental expenditure (款级 code). Lines kept before are classed by their purpose's
-- words; what no word names is 30299 其他商品和服务支出.
ALTER TABLE budget_lines ADD COLUMN econ_class TEXT NOT NULL DEFAULT '30299'
    CHECK (econ_class IN ('30201', '30202', '30209', '30213', '30299', '31002'));
UPDATE budget_lines SET econ_class = CASE
    WHEN purpose LIKE '%设备%' OR purpose LIKE '%家具%' THEN '31002'
    WHEN purpose LIKE '%办公用品%' OR purpose LIKE '%耗材%' THEN '30201'
    WHEN purpose LIKE '%印刷%' THEN '30202'
    WHEN purpose LIKE '%物业%' THEN '30209'
    WHEN purpose LIKE '%维修%' THEN '30213'
    ELSE '30299' END;
