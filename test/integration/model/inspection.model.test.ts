import { describeModel } from '../../support/model/driver.js';
import { inspectionModel } from '../../support/model/inspection.model.js';

describeModel(inspectionModel);
