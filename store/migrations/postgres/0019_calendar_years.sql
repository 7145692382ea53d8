-- 工作日历: the years of the working-day calendar the operator loaded from the State
-- Council's notices (国务院办公厅关于YYYY年部分节假日安排的通知). The file is kept as sent;
-- every node parses it with domain::calendar at start and at every timer run, and a loaded
-- year takes the place of the one the mall ships with. Loading a year again replaces it.

CREATE TABLE calendar_years (
    year        BIGINT PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    body        TEXT NOT NULL,
    loaded_by   BIGINT NOT NULL REFERENCES users (id),
    loaded_at   BIGINT NOT NULL
);
