package io.flowhost.tables.internal;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * How flowhost uses RocksDB: one block cache for every open version (so that memory is bounded however many tables
 * there are), a Bloom filter per file (so that a miss rarely reads a block), index and filter blocks in that cache.
 */
public final class Rocks implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final Cache cache;

    /** @param cacheBytes the block cache shared by every open version */
    public Rocks(long cacheBytes) {
        this.cache = new LRUCache(cacheBytes);
    }

    /** Options for building a version: bulk loading (no compaction until it is finished), no write-ahead log. */
    Options forBuilding() {
        var options = new Options().setCreateIfMissing(true).setErrorIfExists(true);
        options.prepareForBulkLoad();
        options.setTableFormatConfig(tableFormat());
        return options;
    }

    /** Options for reading a finished version. */
    Options forReading() {
        var options = new Options().setCreateIfMissing(false);
        options.setTableFormatConfig(tableFormat());
        options.setMaxOpenFiles(256);
        return options;
    }

    private BlockBasedTableConfig tableFormat() {
        return new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10))
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
    }

    @Override
    public void close() {
        cache.close();
    }
}
